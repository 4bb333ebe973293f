/** The shared modules of a fix's scripts travel in the journal, so rollback and resume use the run's bytes. */
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import type { IntentRecord, RunStartRecord } from '../../src/engine/journal-records.js';
import { checkSamePlaybook } from '../../src/engine/resume-run.js';
import { readRun, rollbackRun } from '../../src/engine/rollback-run.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { FIXTURE_PLAYBOOK, prepareFixtureRun } from './support/real-fixture.js';

const local = { client: { kind: 'local' }, target: { kind: 'local' } } as const;
const sessions = createTargetSessions(local);
afterAll(() => sessions.close());

/** The fixture run on a copy of the fixture folder, so a test can change its module afterwards. */
async function runOnCopy() {
  const copy = mkdtempSync(join(tmpdir(), 'psremedy-modules-run-'));
  cpSync(dirname(FIXTURE_PLAYBOOK), copy, { recursive: true });
  const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 });
  const playbook = await loadPlaybook(join(copy, 'settings.yaml'));
  const result = await runPlaybook({ ...f.options, playbook });
  const module = join(copy, 'scripts/lib/FixtureState.psm1');
  return { ...f, result, playbook, module, stateDir: f.options.stateDir };
}

describe('shared modules in the journal', () => {
  it('journals each fix script with the text of the modules it declares, and their digests at run start', async () => {
    const run = await runOnCopy();
    expect(run.result.outcome).toBe('changed');
    const records = readJournal(run.result.journalPath);
    const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
    const intent = records.find((r): r is IntentRecord => r.type === 'intent');
    expect(Object.keys(start?.scripts ?? {})).toContain(run.module);
    for (const script of [intent?.test, intent?.undo])
      expect(script).toMatchObject({ modules: [{ name: 'FixtureState', path: run.module }] });
  });

  it('rolls back from the journal with the module bytes the run used, though the file changed since', async () => {
    const run = await runOnCopy();
    expect(run.readState()).toEqual({ a: 1, b: 2, c: 3 });
    writeFileSync(run.module, "throw 'the module on disk changed after the run'\n");
    // A new process, as `psremedy rollback` is: nothing is defined in it yet.
    const fresh = createTargetSessions(local);
    try {
      const status = await rollbackRun({
        stateDir: run.stateDir,
        runId: run.result.runId,
        sessions: fresh,
        onEvent: () => undefined,
      });
      expect(status).toBe('rolledBack');
    } finally {
      await fresh.close();
    }
    expect(run.readState()).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('refuses to resume a run whose module changed since it started', async () => {
    const run = await runOnCopy();
    appendFileSync(run.module, '# changed after the run started\n');
    const changed = await loadPlaybook(run.playbook.file);
    expect(() => checkSamePlaybook(readRun(run.stateDir, run.result.runId), changed, run.stateDir)).toThrow(
      /changed since the run started: .*FixtureState\.psm1/,
    );
  });
});
