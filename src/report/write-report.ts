import { closeSync, constants, existsSync, lstatSync, openSync, writeSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readJournal } from '../engine/journal.js';
import { journalPathOf, resolveStateDir } from '../engine/run-store.js';
import { type ReportFormat, renderReport } from './index.js';
import { rollbackCommandFor } from './recap.js';

/** Options of `psremedy report`. */
export interface ReportCommandOptions {
  format: string;
  out?: string;
  stateDir?: string;
}

/** Renders the report of a run (by id, or a journal.jsonl path) to a file or stdout. */
export function writeRunReport(
  runIdOrJournal: string,
  options: ReportCommandOptions,
  write: (text: string) => void,
): number {
  const format = options.format as ReportFormat;
  if (!['md', 'html', 'json'].includes(format)) {
    throw new UsageError(`--format must be md, html or json, not "${options.format}"`);
  }
  const stateDir = resolveStateDir(options.stateDir);
  const journal = runIdOrJournal.endsWith('.jsonl')
    ? runIdOrJournal
    : journalPathOf(stateDir, runIdOrJournal);
  if (!existsSync(journal)) {
    throw new UsageError(
      `no run "${runIdOrJournal}" in ${stateDir} (no ${journal}); \`psremedy runs\` lists the runs`,
    );
  }
  const records = readJournal(journal);
  const text = renderReport(records, format, rollbackCommandOf(records, journal));
  if (options.out) {
    writeReportFile(options.out, stateDir, text);
    write(`wrote ${options.out}\n`);
  } else {
    write(text);
  }
  return 0;
}

/**
 * Writes a report file owner-only (reports show host state). Refuses a path inside
 * `<stateDir>/runs` (it would replace the records rollback needs) and a symlink (it would write
 * wherever the link points).
 */
function writeReportFile(out: string, stateDir: string, text: string): void {
  const target = resolve(out);
  const runs = resolve(stateDir, 'runs');
  const fromRuns = relative(runs, target);
  const isInsideRuns =
    fromRuns === '' || !(fromRuns === '..' || fromRuns.startsWith(`..${sep}`) || isAbsolute(fromRuns));
  if (isInsideRuns)
    throw new UsageError(
      `--out ${out} is inside ${runs}, where the run journals live; write the report elsewhere`,
    );
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink())
    throw new UsageError(`--out ${out} is a symbolic link; name a plain file`);
  const fd = openSync(
    target,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function rollbackCommandOf(records: ReturnType<typeof readJournal>, journal: string): string | undefined {
  const start = records.find((r) => r.type === 'run-start');
  return start?.type === 'run-start' ? rollbackCommandFor(start.runId, journal) : undefined;
}
