/**
 * Runs that never finished: closing the terminal (SIGHUP) mid-change leaves a journal that
 * `psremedy runs` lists with the exact command that undoes it; pasting that command does; a
 * rollback that finishes, or `psremedy runs --forget`, clears the crash warnings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  cli,
  PLAYBOOK,
  printedCommands,
  runPrintedCommand,
  scratch,
  signalGroup,
  startCli,
  waitForRecord,
} from './run-cli-support.js';

const ORIGINAL = { a: 0, b: 0, c: 0 };
vi.setConfig({ testTimeout: 240_000 });

/** A scratch run whose journals live in `--state-dir`, while PSREMEDY_HOME names another (empty) folder. */
function scratchWithStateDir() {
  const s = scratch(ORIGINAL);
  const stateDir = join(s.dir, 'state dir');
  const decoyHome = mkdtempSync(join(tmpdir(), 'psremedy-decoy-'));
  const run = (...extra: string[]) =>
    startCli(
      ['run', PLAYBOOK, '-p', `StatePath=${s.statePath}`, '--state-dir', stateDir, ...extra],
      decoyHome,
    );
  const runs = (...extra: string[]) => cli(['runs', '--state-dir', stateDir, ...extra], decoyHome);
  return { ...s, stateDir, decoyHome, run, runs };
}

/** Starts a --yes run whose fix_b sleeps in its apply; returns once fix_b's intent is journaled. */
async function startUntilChangingB(s: ReturnType<typeof scratchWithStateDir>) {
  const started = s.run('--yes', '-p', 'SlowAfter=b');
  const runId = await waitForRecord(s.stateDir, (r) => r.type === 'intent' && r.stepId === 'fix_b', 180_000);
  return { started, runId };
}

describe('a run whose terminal was closed', () => {
  it('exits 129 on SIGHUP mid-change; runs lists it with the exact rollback command, which undoes it', async () => {
    const s = scratchWithStateDir();
    const { started, runId } = await startUntilChangingB(s);
    // fix_b's apply has changed b and now sleeps: the terminal closes in the middle of the change.
    const bIsSet = () => {
      try {
        return s.readState().b === 2;
      } catch {
        return false; // read while PowerShell was writing it
      }
    };
    while (!bIsSet()) await new Promise((r) => setTimeout(r, 25));
    signalGroup(started, 'SIGHUP');
    const ended = await started.done;
    expect(ended.status).toBe(129);
    s.release();

    const listed = await s.runs();
    expect(listed.stdout).toMatch(new RegExp(`^${runId} .* crashed$`, 'm'));
    const [undo] = printedCommands(listed.stdout, 'undo:');
    expect(undo).toBe(`psremedy rollback ${runId} --state-dir '${s.stateDir}'`);
    // Pasted in a shell whose PSREMEDY_HOME is elsewhere, it still acts on this run.
    const pasted = await runPrintedCommand(undo ?? '', s.decoyHome);
    expect(pasted.stdout).toMatch(/undo fix_b: rolled back/);
    expect(pasted.stdout).not.toMatch(/never happened/);
    expect(pasted.status).toBe(0);
    expect(s.readState()).toEqual(ORIGINAL);

    expect(JSON.parse((await s.runs('--json')).stdout)).toMatchObject([{ runId, status: 'rolledBack' }]);
    const next = await s.run('--check');
    expect((await next.done).stdout).not.toContain('never finished');
  });
});

describe('clearing the warnings about killed runs', () => {
  it('a rollback with nothing to undo clears a run killed before any change', async () => {
    const s = scratchWithStateDir();
    const started = s.run('--yes');
    const runId = await waitForRecord(s.stateDir, (r) => r.type === 'run-start', 180_000);
    signalGroup(started, 'SIGKILL');
    await started.done;
    expect(JSON.parse((await s.runs('--json')).stdout)).toMatchObject([{ runId, status: 'crashed' }]);
    const warned = await (await s.run('--check')).done;
    const [undo] = printedCommands(warned.stdout, 'undo it:');
    expect(undo).toBe(`psremedy rollback ${runId} --state-dir '${s.stateDir}'`);

    const rolledBack = await runPrintedCommand(undo ?? '', s.decoyHome);
    expect(rolledBack.stdout).toContain('nothing to undo');
    expect(rolledBack.status).toBe(0);
    const after = JSON.parse((await s.runs('--json')).stdout) as Array<{ runId: string; status: string }>;
    expect(after.find((r) => r.runId === runId)?.status).toBe('cancelled');
    expect((await (await s.run('--check')).done).stdout).not.toContain('never finished');
  });

  it('runs --forget clears a killed run with a change in place, warns, and rollback still undoes it', async () => {
    const s = scratchWithStateDir();
    const { started, runId } = await startUntilChangingB(s);
    signalGroup(started, 'SIGKILL');
    await started.done;
    s.release();
    const warned = await (await s.run('--check')).done;
    const [forget] = printedCommands(warned.stdout, 'forget it:');
    expect(forget).toBe(`psremedy runs --forget ${runId} --state-dir '${s.stateDir}'`);

    const forgotten = await runPrintedCommand(forget ?? '', s.decoyHome);
    expect(forgotten.status).toBe(0);
    expect(forgotten.stdout).toContain(`run ${runId}: forgotten`);
    expect(forgotten.stderr).toMatch(
      /may still be in place \(fix_a, fix_b\); undo them with psremedy rollback/,
    );
    const listed = JSON.parse((await s.runs('--json')).stdout) as Array<{ runId: string; status: string }>;
    expect(listed.find((r) => r.runId === runId)?.status).toBe('forgotten');
    expect((await (await s.run('--check')).done).stdout).not.toContain('never finished');

    const rolledBack = await cli(['rollback', runId, '--state-dir', s.stateDir], s.decoyHome);
    expect(rolledBack.status).toBe(0);
    expect(s.readState()).toEqual(ORIGINAL);
  });

  it('a second Ctrl+C during the rollback quits naming the exact command that finishes the undo', async () => {
    const s = scratchWithStateDir();
    const started = s.run('--yes', '-p', 'FailApply=c', '-p', 'SlowUndo=b');
    const runId = await waitForRecord(
      s.stateDir,
      (r) => r.type === 'undo-start' && r.stepId === 'fix_b',
      180_000,
    );
    // Ctrl+C twice, to psremedy only: the slow undo goes on in its PowerShell meanwhile.
    started.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    started.child.kill('SIGINT');
    const quit = await started.done;
    s.release();
    expect(quit.status).toBe(130);
    const command = `psremedy rollback ${runId} --state-dir '${s.stateDir}'`;
    expect(quit.stderr).toMatch(
      /quitting without finishing the rollback: the server may still have[\s\S]*fix_b/,
    );
    expect(quit.stderr).toContain(`undo with:\n  ${command}`);
    const pasted = await runPrintedCommand(command, s.decoyHome);
    expect(pasted.status, pasted.stderr).toBe(0);
    expect(s.readState()).toEqual(ORIGINAL);
  });
});
