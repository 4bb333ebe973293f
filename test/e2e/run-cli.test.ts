/**
 * The real CLI, end to end, with real PowerShell: refusal without a TTY, params errors, crash
 * safety (SIGKILL after intent, after apply, during undo) then `psremedy rollback`, resume,
 * the per-target lock, Ctrl+C, and NDJSON output.
 */
import { describe, expect, it, vi } from 'vitest';
import { EngineEventSchema } from '../../src/engine/events.js';
import { cli, findRun, PLAYBOOK, scratch, signalGroup, startCli, waitForRecord } from './run-cli-support.js';

const ORIGINAL = { a: 0, b: 0, c: 0 };
// Each test starts psremedy (and PowerShell) two or three times; on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 240_000 });
const run = (statePath: string, ...extra: string[]) => [
  'run',
  PLAYBOOK,
  '-p',
  `StatePath=${statePath}`,
  ...extra,
];

describe('psremedy run without a terminal', () => {
  it('refuses before starting PowerShell, naming --yes and every step that would ask', async () => {
    const s = scratch(ORIGINAL);
    const r = await cli(run(s.statePath), s.home);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(r.stderr).toMatch(
      /fix_a: Set a to 1 \(risk low\)\n\s+fix_b: Set b to 2 \(risk low\)\n\s+fix_c: Set c to 3/,
    );
    expect(findRun(s.home)).toBeUndefined();
    expect(s.readState()).toEqual(ORIGINAL);
  });

  it('exits 2 naming a param the playbook does not take, or a required one that is missing', async () => {
    const s = scratch(ORIGINAL);
    const unknown = await cli([...run(s.statePath, '--yes'), '-p', 'Statepath=x'], s.home);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no param "Statepath"/);
    const missing = await cli(['run', PLAYBOOK, '--yes'], s.home);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('StatePath');
  });
});

describe('crash safety: psremedy killed with SIGKILL, then psremedy rollback', () => {
  const crashThenRollback = async (
    faults: string[],
    killAt: (r: import('../../src/engine/journal-records.js').JournalRecord) => boolean,
  ) => {
    const s = scratch(ORIGINAL);
    const started = startCli(run(s.statePath, '--yes', ...faults), s.home);
    const runId = await waitForRecord(s.home, killAt, 180_000);
    signalGroup(started, 'SIGKILL');
    expect((await started.done).signal).toBe('SIGKILL');
    s.release();
    const listed = await cli(['runs', '--json'], s.home);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ runId, status: 'crashed' }]);
    const rolledBack = await cli(['rollback', runId], s.home);
    return { s, runId, rolledBack, records: findRun(s.home)?.records ?? [] };
  };

  it('right after the intent of a change that did happen: rollback tests, learns it happened, and undoes it', async () => {
    const { s, rolledBack, records } = await crashThenRollback(
      ['-p', 'SlowAfter=b'],
      (r) => r.type === 'intent' && r.stepId === 'fix_b',
    );
    expect(rolledBack.status).toBe(0);
    expect(s.readState()).toEqual(ORIGINAL);
    expect(
      records.filter((r) => r.type === 'undo-end').map((r) => r.type === 'undo-end' && [r.stepId, r.status]),
    ).toEqual([
      ['fix_b', 'rolledBack'],
      ['fix_a', 'rolledBack'],
    ]);
  });

  it('right after the intent of a change that never happened: rollback says so and leaves it alone', async () => {
    const { s, rolledBack } = await crashThenRollback(
      ['-p', 'SlowBefore=b'],
      (r) => r.type === 'intent' && r.stepId === 'fix_b',
    );
    expect(rolledBack.status).toBe(0);
    expect(rolledBack.stdout).toMatch(/undo fix_b: rolled back \(the change never happened/);
    expect(s.readState()).toEqual(ORIGINAL);
  });

  it('right after apply', async () => {
    const { s, rolledBack, records } = await crashThenRollback(
      ['-p', 'SlowBefore=c'],
      (r) => r.type === 'applied' && r.stepId === 'fix_b',
    );
    expect(rolledBack.status).toBe(0);
    expect(records.some((r) => r.type === 'rollback-start' && r.by === 'command')).toBe(true);
    expect(s.readState()).toEqual(ORIGINAL);
  });

  it('during the undo, and the next start reports the crashed run', async () => {
    const s = scratch(ORIGINAL);
    const started = startCli(run(s.statePath, '--yes', '-p', 'FailApply=c', '-p', 'SlowUndo=b'), s.home);
    const runId = await waitForRecord(
      s.home,
      (r) => r.type === 'undo-start' && r.stepId === 'fix_b',
      180_000,
    );
    signalGroup(started, 'SIGKILL');
    await started.done;
    s.release();
    expect(s.readState()).toEqual({ a: 1, b: 2, c: 0 });
    const next = await cli(run(s.statePath, '--check', '--only', 'fix_c'), s.home);
    expect(next.stdout).toContain(`warning: run ${runId} of engine-fixture`);
    expect(next.stdout).toContain(`psremedy rollback ${runId}`);
    const rolledBack = await cli(['rollback', runId], s.home);
    expect(rolledBack.status).toBe(0);
    expect(s.readState()).toEqual(ORIGINAL);
  });
});

describe('resume, lock, Ctrl+C and NDJSON', () => {
  it('resumes a failed --no-rollback run after its last finished step', async () => {
    const s = scratch(ORIGINAL);
    const first = await cli(run(s.statePath, '--yes', '--no-rollback', '-p', 'FailApply=c'), s.home);
    expect(first.status).toBe(1);
    expect(s.readState()).toEqual({ a: 1, b: 2, c: 0 });
    const { runId } = findRun(s.home)!;
    const resumed = await cli(['resume', runId, '--yes', '-p', 'FailApply=none'], s.home);
    expect(resumed.status).toBe(0);
    expect(s.readState()).toEqual({ a: 1, b: 2, c: 3 });
    const records = findRun(s.home)?.records ?? [];
    const resumeAt = records.findIndex((r) => r.type === 'run-resume');
    expect(resumeAt).toBeGreaterThan(0);
    expect(
      records
        .slice(resumeAt)
        .filter((r) => r.type === 'intent')
        .map((r) => r.type === 'intent' && r.stepId),
    ).toEqual(['fix_c']);
  });

  it('refuses a second run on the same target while one runs, and Ctrl+C rolls the first back (exit 130)', async () => {
    const s = scratch(ORIGINAL);
    const first = startCli(run(s.statePath, '--yes', '-p', 'SlowBefore=b'), s.home);
    await waitForRecord(s.home, (r) => r.type === 'intent' && r.stepId === 'fix_b', 180_000);
    const second = await cli(run(s.statePath, '--yes'), s.home);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/another run \(\S+, pid \d+\) is working on local/);
    signalGroup(first, 'SIGINT');
    const ended = await first.done;
    expect(ended.status).toBe(130);
    expect(ended.stdout).toMatch(/undo fix_a: rolled back/);
    expect(s.readState()).toEqual(ORIGINAL);
  });

  it('writes one schema-valid JSON event per line with --output ndjson', async () => {
    const s = scratch({ a: 0, b: 2, c: 3 });
    const r = await cli(run(s.statePath, '--yes', '--output', 'ndjson'), s.home);
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const e of events) expect(EngineEventSchema.safeParse(e).error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'summary', outcome: 'changed', fixed: ['fix_a'] });
  });
});
