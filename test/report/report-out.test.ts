/** `psremedy report --out`: never the run's own journal, and a clear error for a folder or a missing folder. */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { journalPathOf } from '../../src/engine/run-store.js';
import { writeRunReport } from '../../src/report/write-report.js';
import { rolledBackRun, stamp } from './journal-fixture.js';

const RUN = '20260101-120000-ab12';

function stateWithRun(): { stateDir: string; journal: string; text: string } {
  const stateDir = mkdtempSync(join(tmpdir(), 'psremedy-report-out-'));
  const journal = journalPathOf(stateDir, RUN);
  mkdirSync(join(stateDir, 'runs', RUN), { recursive: true });
  const text = `${stamp(rolledBackRun())
    .map((r) => JSON.stringify(r))
    .join('\n')}\n`;
  writeFileSync(journal, text);
  return { stateDir, journal, text };
}

describe('report --out', () => {
  it.each([
    [
      'the journal itself',
      (s: { journal: string }) => s.journal,
      /is the run's journal; the report never overwrites it/,
    ],
    [
      'a link to the journal',
      (s: { journal: string; stateDir: string }) => {
        const link = join(s.stateDir, 'report.md');
        symlinkSync(s.journal, link);
        return link;
      },
      /is the run's journal/,
    ],
    ['a folder', (s: { stateDir: string }) => s.stateDir, /is a folder; name the report file/],
    [
      'a file in a missing folder',
      (s: { stateDir: string }) => join(s.stateDir, 'no/such/report.md'),
      /the folder .*no\/such does not exist/,
    ],
  ])('refuses %s with a clear error and leaves the journal whole', (_name, outOf, message) => {
    const s = stateWithRun();
    const out = outOf(s);
    expect(() => writeRunReport(RUN, { format: 'md', stateDir: s.stateDir, out }, () => {})).toThrow(
      UsageError,
    );
    expect(() => writeRunReport(RUN, { format: 'md', stateDir: s.stateDir, out }, () => {})).toThrow(message);
    expect(readFileSync(s.journal, 'utf8')).toBe(s.text);
  });

  it('writes a report file beside the state folder, not next to the journal (inside runs/)', () => {
    const s = stateWithRun();
    const beside = join(s.stateDir, 'runs', RUN, 'report.html');
    expect(() =>
      writeRunReport(RUN, { format: 'html', stateDir: s.stateDir, out: beside }, () => {}),
    ).toThrow(/is inside .*runs, where the run journals live/);
    const out = join(s.stateDir, 'report.html');
    const said: string[] = [];
    writeRunReport(RUN, { format: 'html', stateDir: s.stateDir, out }, (t) => said.push(t));
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(said).toEqual([`wrote ${out}\n`]);
  });

  it('refuses a folder that links into runs/', () => {
    const s = stateWithRun();
    const link = join(s.stateDir, 'into-runs');
    symlinkSync(join(s.stateDir, 'runs', RUN), link);
    expect(() =>
      writeRunReport(RUN, { format: 'md', stateDir: s.stateDir, out: join(link, 'report.md') }, () => {}),
    ).toThrow(/is inside .*runs, where the run journals live/);
  });

  it('refuses a run id that leaves the state folder', () => {
    const s = stateWithRun();
    expect(() => writeRunReport(`../runs/${RUN}`, { format: 'md', stateDir: s.stateDir }, () => {})).toThrow(
      /is not a run id/,
    );
  });
});
