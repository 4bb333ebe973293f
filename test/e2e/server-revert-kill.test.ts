/**
 * psremedy SIGKILLed while a lab host it has just cut off waits for confirmation: the host still
 * reverts itself (its own scheduled task), and `psremedy rollback` of the run reports it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { LAB_BIN_DIR } from '../../src/lab/lab-paths.js';
import { cli, findRun, startCli } from './run-cli-support.js';

const CUT = new URL('../fixtures/server-revert/revert.yaml', import.meta.url).pathname;

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function waitFor<T>(what: string, check: () => T | undefined, limitMs: number): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('psremedy killed while the server waits for its confirmation', () => {
  it('leaves the server to revert itself, and rollback reports autoReverted', async () => {
    lab = await startLab('healthy');
    const host = lab.hosts[0]!;
    const start = JSON.parse(readFileSync(host.statePath, 'utf8')) as Record<string, unknown>;
    const home = join(mkdtempSync(join(tmpdir(), 'psremedy-revert-kill-')), 'home');
    // The lab's stand-in ssh reaches the host from this process's lab.
    const env = {
      PATH: `${LAB_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
      PSREMEDY_LAB_RUN_DIR: lab.runDir,
    };
    const args = [
      'run',
      CUT,
      '--target',
      host.name,
      '--transport',
      'ssh',
      '--yes',
      '--connect-timeout',
      '15s',
    ];
    const run = startCli(args, home, env);
    const runId = await waitFor(
      'the apply',
      () => {
        const found = findRun(home);
        return found?.records.some((r) => r.type === 'applied') ? found.runId : undefined;
      },
      30_000,
    );
    process.kill(-(run.child.pid ?? 0), 'SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    const armed = findRun(home)?.records.filter((r) => r.type === 'server-revert');
    expect(armed).toEqual([expect.objectContaining({ outcome: 'armed' })]);

    // Nobody is left to undo it: the host's own task does, after its 4 s deadline.
    const reverted = await waitFor(
      'the host to revert itself',
      () => {
        const now = JSON.parse(readFileSync(host.statePath, 'utf8')) as Record<string, unknown>;
        return (now.scheduledTasks as unknown[]).length === 0 ? now : undefined;
      },
      20_000,
    );
    expect(reverted.netAdapters).toEqual(start.netAdapters);

    const rollback = await cli(['rollback', runId], home, env);
    expect(rollback.stderr).toBe('');
    expect(rollback.status).toBe(0);
    expect(rollback.stdout.replace(/\s+/g, ' ')).toMatch(
      /adapter: the server reverted the change itself \(auto-reverted\)/,
    );
    const records = findRun(home)?.records ?? [];
    expect(records.filter((r) => r.type === 'server-revert').at(-1)).toMatchObject({
      outcome: 'autoReverted',
      by: 'command',
      state: { status: 'Up' },
    });
    // Not undone a second time by psremedy.
    expect(records.some((r) => r.type === 'undo-start')).toBe(false);
    expect(JSON.parse(readFileSync(host.statePath, 'utf8'))).toEqual(start);
  }, 60_000);
});
