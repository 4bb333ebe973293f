/**
 * A crash mid-append leaves the journal's last record cut off at any byte. Every such journal must
 * still be read, listed and reported, and rollback must seal it and restore the state exactly.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeCommand } from '../../src/cli/commands/resume/resume-command.js';
import { rollbackCommand } from '../../src/cli/commands/rollback/rollback-command.js';
import { readJournal } from '../../src/engine/journal.js';
import { readRun, rollbackRun } from '../../src/engine/rollback-run.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { journalPathOf, listRuns } from '../../src/engine/run-store.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { writeRunReport } from '../../src/report/write-report.js';
import { prepareFixtureRun } from './support/real-fixture.js';

const sessions = createTargetSessions({ client: { kind: 'local' }, target: { kind: 'local' } });
afterAll(() => sessions.close());

const ORIGINAL = { a: 0, b: 0, c: 0 };
let journal: Buffer;
let runId: string;
let lastRecordStart: number;
let statePath: string;

beforeAll(async () => {
  const f = await prepareFixtureRun(sessions, ORIGINAL);
  const result = await runPlaybook(f.options);
  expect(result.outcome).toBe('changed');
  expect(f.readState()).toEqual({ a: 1, b: 2, c: 3 });
  journal = readFileSync(result.journalPath);
  runId = result.runId;
  statePath = f.statePath;
  lastRecordStart = journal.lastIndexOf(0x0a, journal.length - 2) + 1;
}, 120_000);

/** A state folder holding the run's journal cut `keep` bytes into its last record. */
function tornCopy(keep: number): { stateDir: string; journalPath: string } {
  const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-torn-'));
  const journalPath = journalPathOf(stateDir, runId);
  mkdirSync(join(stateDir, 'runs', runId), { recursive: true });
  writeFileSync(journalPath, journal.subarray(0, lastRecordStart + keep));
  return { stateDir, journalPath };
}

describe('a journal whose last record a crash cut off', () => {
  it('is read, listed and reported at every byte of its last record, never with an internal error', () => {
    const recordLength = journal.length - lastRecordStart;
    expect(recordLength).toBeGreaterThan(100);
    const wholeRecords = readJournal(tornCopy(recordLength).journalPath).length;
    for (let keep = 0; keep < recordLength; keep++) {
      const { stateDir, journalPath } = tornCopy(keep);
      const complete = keep === recordLength - 1; // everything but the newline
      expect(readJournal(journalPath), `cut at ${keep}`).toHaveLength(
        complete ? wholeRecords : wholeRecords - 1,
      );
      const [listing] = listRuns(stateDir);
      expect(listing?.status, `cut at ${keep}`).toBe(complete ? 'changed' : 'crashed');
      expect(listing?.tornTailBytes, `cut at ${keep}`).toBe(keep === 0 || complete ? undefined : keep);
      for (const format of ['md', 'html', 'json']) {
        const notes: string[] = [];
        let text = '';
        writeRunReport(
          runId,
          { format, stateDir },
          (t) => (text = t),
          (n) => notes.push(n),
        );
        expect(text.length).toBeGreaterThan(0);
        expect(notes.length, `cut at ${keep}`).toBe(keep === 0 || complete ? 0 : 1);
      }
      const sealed = readRun(stateDir, runId).sealed;
      expect(sealed?.bytes, `cut at ${keep}`).toBe(keep === 0 || complete ? undefined : keep);
      if (sealed)
        expect(readFileSync(sealed.savedTo)).toEqual(
          journal.subarray(lastRecordStart, lastRecordStart + keep),
        );
      expect(readFileSync(journalPath).at(-1)).toBe(0x0a);
    }
  });

  it.each([0, 1, 7, 60, -2, -1])(
    'rollback seals a cut at %i bytes and restores the state exactly',
    async (cut) => {
      const keep = cut < 0 ? journal.length - lastRecordStart + cut : cut;
      const { stateDir, journalPath } = tornCopy(keep);
      writeFileSync(statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
      const events: string[] = [];
      const status = await rollbackRun({
        stateDir,
        runId,
        sessions,
        onEvent: (e) => events.push(e.type),
      });
      expect(status).toBe('rolledBack');
      expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual(ORIGINAL);
      const records = readJournal(journalPath);
      expect(records.filter((r) => r.type === 'undo-end').map((r) => 'status' in r && r.status)).toEqual([
        'rolledBack',
        'rolledBack',
        'rolledBack',
      ]);
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      expect(listRuns(stateDir)[0]?.status).toBe('rolledBack');
      const torn = readdirSync(join(stateDir, 'runs', runId)).filter((f) => f.includes('.torn-'));
      expect(torn).toHaveLength(keep > 0 && cut !== -1 ? 1 : 0);
      expect(existsSync(journalPath)).toBe(true);
    },
    60_000,
  );

  it('psremedy rollback says that it set the torn record aside, and where', async () => {
    const { stateDir } = tornCopy(25);
    writeFileSync(statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
    const err: string[] = [];
    const status = await rollbackCommand(
      runId,
      { param: [], output: 'ndjson', stateDir },
      {
        out: () => {},
        err: (t) => err.push(t),
      },
    );
    expect(status).toBe('rolledBack');
    expect(err.join('\n')).toMatch(
      /last record of .*journal\.jsonl was cut off mid-write \(25 bytes.*moved to .*journal\.torn-\d{8}T\d{6}Z\.jsonl/,
    );
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual(ORIGINAL);
  }, 60_000);

  it('psremedy resume of a run whose end record was torn seals it, says so, and finishes the run', async () => {
    const { stateDir, journalPath } = tornCopy(40);
    writeFileSync(statePath, JSON.stringify({ a: 1, b: 2, c: 3 }));
    const err: string[] = [];
    const outcome = await resumeCommand(
      runId,
      { param: [], output: 'ndjson', stateDir },
      { err: (t) => err.push(t) },
    );
    expect(err.join('\n')).toMatch(/cut off mid-write \(40 bytes.*moved to .*journal\.torn-/);
    expect(outcome).not.toBe('problemsRemain');
    const records = readJournal(journalPath);
    expect(records.at(-1)?.type).toBe('run-end');
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  }, 60_000);
});
