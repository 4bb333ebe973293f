/**
 * One end-to-end run of the real CLI on a real terminal (tmux): listr2 draws the steps, the prompt
 * shows the evidence and the -WhatIf preview, keys choose details, apply, then abort and roll back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, PLAYBOOK, scratch } from './run-cli-support.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn('run-tty.test.ts: tmux is not installed (apt-get install tmux); the TTY test cannot run');
const session = `psremedy-tty-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', session);

async function waitForScreen(pattern: RegExp, timeoutMs = 180_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never showed ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['kill-session', '-t', session]);
});

describe.skipIf(!hasTmux)('psremedy run on a terminal', () => {
  it('asks with evidence and preview, shows details, applies, then aborts and rolls back', {
    timeout: 400_000,
  }, async () => {
    const s = scratch({ a: 0, b: 2, c: 0 });
    const command = `env -u CI NO_COLOR=1 PSREMEDY_HOME='${s.home}' '${process.execPath}' '${BIN}' run '${PLAYBOOK}' -p 'StatePath=${s.statePath}'; echo PSREMEDY_EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '50', command);

    const first = await waitForScreen(/Apply fix_a: Set a to 1[\s\S]*abort and roll back/);
    expect(first).toMatch(/✔ drift: Which settings are wrong\?/);
    expect(first).toMatch(/cause: a has the wrong value \[a-wrong\] 90%/);
    expect(first).toMatch(/now: \{"value":0\}/);
    expect(first).toMatch(/What if: Performing the operation "Set a from 0 to 1"/);

    tmux('send-keys', '-t', session, 'Down', 'Down', 'Enter');
    const details = await waitForScreen(/fewer details/);
    expect(details).toMatch(/now: \{\n\s+"value": 0\n\s+\}/);

    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(/Apply fix_c: Set c to 3[\s\S]*abort and roll back/);
    expect(s.readState()).toEqual({ a: 1, b: 2, c: 0 });

    tmux('send-keys', '-t', session, 'Down', 'Down', 'Down', 'Enter');
    const end = await waitForScreen(/PSREMEDY_EXIT=\d+/);
    expect(end).toMatch(/✔ fix_a: Set a to 1 changed/);
    expect(end).toMatch(/undo fix_a: rolled back/);
    expect(end).toMatch(/changes were rolled back/);
    expect(end).toContain('PSREMEDY_EXIT=3');
    expect(s.readState()).toEqual({ a: 0, b: 2, c: 0 });
  });
});
