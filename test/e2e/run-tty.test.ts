/**
 * End-to-end runs of the real CLI on a real terminal (tmux, 80 columns, NO_COLOR): listr2 draws
 * the steps with marks by what they found, the prompt shows the evidence, the state as labelled
 * lines and the -WhatIf preview; keys choose details, apply, then abort (or Ctrl+C) and roll back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, PLAYBOOK, RDP_PLAYBOOK, scratch } from './run-cli-support.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn('run-tty.test.ts: tmux is not installed (apt-get install tmux); the TTY test cannot run');
const session = `psremedy-tty-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
// -J joins what the terminal wrapped, so a line wider than the terminal shows as one long line.
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

/** Starts psremedy on an 80x60 terminal with no colours. */
function startOnTerminal(s: ReturnType<typeof scratch>): void {
  const command = `env -u CI NO_COLOR=1 PSREMEDY_HOME='${s.home}' '${process.execPath}' '${BIN}' run '${PLAYBOOK}' -p 'StatePath=${s.statePath}'; echo PSREMEDY_EXIT=$?; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '60', command);
}

/** psremedy printed no line wider than the terminal; commands and the test's long temp paths stay whole. */
function expectFits(text: string): void {
  for (const line of text
    .split('\n')
    .filter((l) => !l.startsWith('  psremedy rollback ') && !l.includes('/tmp/')))
    expect([...line.trimEnd()].length, line).toBeLessThanOrEqual(80);
}

afterEach(() => {
  if (hasTmux) spawnSync('tmux', ['kill-session', '-t', session]);
});

describe.skipIf(!hasTmux)('psremedy run on a terminal', () => {
  it('marks what diagnosis found, asks with labelled state and preview, shows details, applies, then aborts and rolls back', {
    timeout: 400_000,
  }, async () => {
    const s = scratch({ a: 0, b: 2, c: 0 });
    startOnTerminal(s);

    const first = await waitForScreen(/Apply fix_a: Set a to 1[\s\S]*abort and roll back/);
    expect(first).toMatch(/^⚠ drift: Which settings are wrong\? found: a-wrong 90%, c-wrong 90%/m);
    expect(first).toMatch(/cause: a has the wrong value \[a-wrong\] 90%, 1 finding\n/);
    expect(first).toMatch(/^ {2}now: value: 0$/m);
    expect(first).not.toMatch(/now: \{/);
    expect(first).toMatch(/What if: Performing the operation "Set a from 0 to 1"/);
    expectFits(first);

    tmux('send-keys', '-t', session, 'Down', 'Down', 'Enter');
    const details = await waitForScreen(/fewer details/);
    expect(details).toMatch(/state \(JSON\):\n\s+\{\n\s+"value": 0\n\s+\}/);

    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(/Apply fix_c: Set c to 3[\s\S]*abort and roll back/);
    expect(s.readState()).toEqual({ a: 1, b: 2, c: 0 });

    tmux('send-keys', '-t', session, 'Down', 'Down', 'Down', 'Enter');
    const end = await waitForScreen(/PSREMEDY_EXIT=\d+/);
    expect(end).toMatch(/^✎ fix_a: Set a to 1 changed/m);
    expect(end).toMatch(/undo fix_a: rolled back/);
    expect(end).toMatch(/^summary: engine-fixture on this computer: changes were rolled back$/m);
    expect(end).toMatch(/^ {2}⚠ a-wrong 90% +remains: fix_a was rolled back: aborted at a prompt$/m);
    expect(end).toMatch(/^ {2}↩ fix_a: rolled back\n {6}undo: already undone and verified$/m);
    expect(end).toMatch(/^exit 3: changes were rolled back$/m);
    expect(end).toContain('PSREMEDY_EXIT=3');
    expectFits(end);
    expect(s.readState()).toEqual({ a: 0, b: 2, c: 0 });
  });

  it('says on Ctrl+C what is on the server and the exact rollback command, then rolls back', {
    timeout: 400_000,
  }, async () => {
    const s = scratch({ a: 0, b: 2, c: 0 });
    startOnTerminal(s);
    await waitForScreen(/Apply fix_a: Set a to 1[\s\S]*abort and roll back/);
    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(/Apply fix_c: Set c to 3[\s\S]*abort and roll back/);
    tmux('send-keys', '-t', session, 'C-c');
    const end = await waitForScreen(/PSREMEDY_EXIT=\d+/);
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{4}):/.exec(end)?.[1];
    expect(runId).toBeDefined();
    expect(end).toMatch(
      /^interrupted: stopping fix_c and rolling back fix_a \(newest first\); Ctrl\+C again\n^quits at once and leaves them for:$/m,
    );
    // PSREMEDY_HOME names the state folder, so the command needs no --state-dir to act on this run.
    expect(end).toContain(`\n  psremedy rollback ${runId}\n`);
    expectFits(end);
    expect(end).toMatch(/undo fix_a: rolled back/);
    expect(end).toContain('PSREMEDY_EXIT=130');
    expect(s.readState()).toEqual({ a: 0, b: 2, c: 0 });
  });

  it('draws client and server steps running at once, then one marked line per step', {
    timeout: 400_000,
  }, async () => {
    const s = scratch({});
    const command = `env -u CI NO_COLOR=1 PSREMEDY_HOME='${s.home}' '${process.execPath}' '${BIN}' run '${RDP_PLAYBOOK}' --lab firewall-closed --check; echo PSREMEDY_EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '60', command);
    // While tcp waits on the dropped port, a server step spins too (started: no "waiting" under it).
    const spinner = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';
    const both = new RegExp(
      `^${spinner} tcp: [\\s\\S]*^${spinner} (listener|firewall|adapters|certificate|security|events): .*\\n(?!  › waiting)`,
      'm',
    );
    await waitForScreen(both, 120_000);
    const end = await waitForScreen(/PSREMEDY_EXIT=\d+/);
    expect(end).toContain('PSREMEDY_EXIT=1');
    // The live frame is replaced by one line per diagnose step, marked by what it found.
    for (const id of [
      'dns',
      'tcp',
      'handshake',
      'listener',
      'firewall',
      'adapters',
      'certificate',
      'security',
      'events',
      'isolation',
    ])
      expect(end.match(new RegExp(`^[✔⚠✖↓?] ${id}: `, 'gm')), id).toHaveLength(1);
    expect(end).toMatch(/^⚠ firewall: Does Windows Firewall allow the RDP port\? found: firewall-closed/m);
    expect(end).not.toMatch(/› waiting/);
    expect(end).toMatch(/1\. Windows Firewall does not allow the RDP port \[firewall-closed\] \d+%/);
    expectFits(end);
  });
});
