/** Rollback runs only undo code from a run of its own state folder, and only the text that was journaled with its digest. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { readJournal } from '../../src/engine/journal.js';
import type { IntentRecord, JournalRecord } from '../../src/engine/journal-records.js';
import { rollbackRun } from '../../src/engine/rollback-run.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { journalPathOf } from '../../src/engine/run-store.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { prepareFixtureRun } from './support/real-fixture.js';

const sessions = createTargetSessions({ client: { kind: 'local' }, target: { kind: 'local' } });
afterAll(() => sessions.close());

let run: { runId: string; journalPath: string; statePath: string; dir: string };

beforeAll(async () => {
  const f = await prepareFixtureRun(sessions, { a: 0, b: 0, c: 0 });
  const result = await runPlaybook(f.options);
  expect(result.outcome).toBe('changed');
  run = { runId: result.runId, journalPath: result.journalPath, statePath: f.statePath, dir: f.dir };
}, 120_000);

/** A state folder with the run's journal, each record passed through `edit`. */
function copyRun(edit: (r: JournalRecord) => JournalRecord = (r) => r): string {
  const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-safety-'));
  const path = journalPathOf(stateDir, run.runId);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${readJournal(run.journalPath)
      .map((r) => JSON.stringify(edit(r)))
      .join('\n')}\n`,
  );
  return stateDir;
}

describe('rollback and the journal it trusts', () => {
  it.each(['../../evil', '../evil', 'runs/../../evil', '/tmp/evil', '.', '..', 'a/b', 'a\\b', ''])(
    'refuses the run id %j before reading anything',
    async (runId) => {
      const stateDir = join(mkdtempSync(join(tmpdir(), 'psremedy-evil-')), 'a', 'state');
      // A journal where the id would lead: it must never be read, let alone run.
      if (runId.includes('evil') && !runId.startsWith('/'))
        cpSync(dirname(run.journalPath), join(stateDir, 'runs', runId), { recursive: true });
      writeFileSync(run.statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
      const attempt = rollbackRun({ stateDir, runId, sessions, onEvent: () => {} });
      await expect(attempt).rejects.toThrow(UsageError);
      await expect(attempt).rejects.toThrow(/is not a run id/);
      expect(JSON.parse(readFileSync(run.statePath, 'utf8'))).toEqual({ a: 1, b: 2, c: 3 });
    },
  );

  it('refuses an undo whose journaled text does not match its recorded sha256, and undoes the rest', async () => {
    const marker = join(run.dir, 'tampered-undo-ran');
    const stateDir = copyRun((r) => {
      if (r.type !== 'intent' || r.stepId !== 'fix_b' || 'none' in r.undo) return r;
      const undo = {
        ...r.undo,
        text: `New-Item -ItemType File -Path '${marker}' | Out-Null\n${r.undo.text}`,
      };
      return { ...r, undo } as IntentRecord;
    });
    writeFileSync(run.statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
    const status = await rollbackRun({ stateDir, runId: run.runId, sessions, onEvent: () => {} });
    expect(status).toBe('rollbackFailed');
    expect(existsSync(marker)).toBe(false);
    expect(JSON.parse(readFileSync(run.statePath, 'utf8'))).toEqual({ a: 0, b: 2, c: 0 });
    const ends = readJournal(journalPathOf(stateDir, run.runId)).filter((r) => r.type === 'undo-end');
    expect(ends.find((r) => r.stepId === 'fix_b')).toMatchObject({
      status: 'rollbackFailed',
      note: expect.stringMatching(/Restore-FixtureSetting\.ps1 does not match its recorded sha256/),
    });
  }, 60_000);

  it('refuses a journaled test script that was changed too', async () => {
    const stateDir = copyRun((r) =>
      r.type === 'intent' && r.stepId === 'fix_a'
        ? ({ ...r, test: { ...r.test, text: `${r.test.text}\n# changed` } } as IntentRecord)
        : r,
    );
    writeFileSync(run.statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
    expect(await rollbackRun({ stateDir, runId: run.runId, sessions, onEvent: () => {} })).toBe(
      'rollbackFailed',
    );
    expect(JSON.parse(readFileSync(run.statePath, 'utf8'))).toEqual({ a: 1, b: 0, c: 0 });
  }, 60_000);

  it('refuses an undo whose journaled module text does not match its recorded sha256', async () => {
    const marker = join(run.dir, 'tampered-module-ran');
    const stateDir = copyRun((r) => {
      if (r.type !== 'intent' || r.stepId !== 'fix_b' || 'none' in r.undo || !r.undo.modules) return r;
      const modules = r.undo.modules.map((m) => ({
        ...m,
        text: `New-Item -ItemType File -Path '${marker}' | Out-Null\n${m.text}`,
      }));
      return { ...r, undo: { ...r.undo, modules } } as IntentRecord;
    });
    const intent = readJournal(journalPathOf(stateDir, run.runId)).find(
      (r): r is IntentRecord => r.type === 'intent' && r.stepId === 'fix_b',
    );
    expect(intent && !('none' in intent.undo) && intent.undo.modules?.length).toBeGreaterThan(0);
    writeFileSync(run.statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
    expect(await rollbackRun({ stateDir, runId: run.runId, sessions, onEvent: () => {} })).toBe(
      'rollbackFailed',
    );
    expect(existsSync(marker)).toBe(false);
    const ends = readJournal(journalPathOf(stateDir, run.runId)).filter((r) => r.type === 'undo-end');
    expect(ends.find((r) => r.stepId === 'fix_b')).toMatchObject({
      note: expect.stringMatching(/FixtureState\.psm1 does not match its recorded sha256/),
    });
  }, 60_000);
});
