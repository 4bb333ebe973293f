import { closeSync, constants, existsSync, lstatSync, openSync, realpathSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readJournalFile } from '../engine/journal.js';
import { journalPathOf, resolveStateDir } from '../engine/run-store.js';
import { type ReportFormat, renderReport } from './index.js';
import { rollbackCommandFor } from './recap.js';

/** Options of `psremedy report`. */
export interface ReportCommandOptions {
  format: string;
  out?: string;
  stateDir?: string;
}

/** Renders the report of a run (by id, or a journal.jsonl path) to a file or stdout; `warn` gets notes. */
export function writeRunReport(
  runIdOrJournal: string,
  options: ReportCommandOptions,
  write: (text: string) => void,
  warn: (text: string) => void = () => {},
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
  if (options.out) checkOutFile(options.out, journal, stateDir);
  const { records, tornTailBytes } = readJournalFile(journal);
  if (tornTailBytes > 0)
    warn(
      `note: the last record of ${journal} was cut off mid-write (${tornTailBytes} bytes, a crash) and is left out of the report`,
    );
  const text = renderReport(records, format, rollbackCommandOf(records, journal));
  if (options.out) {
    writeReportFile(options.out, text);
    write(`wrote ${options.out}\n`);
  } else {
    write(text);
  }
  return 0;
}

/** The real path of `path` (links followed), or undefined when it does not exist. */
function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an --out that is the run's journal, a symbolic link (the report would go wherever it
 * points), a folder, in a folder that does not exist, or inside `<stateDir>/runs` (it would
 * replace the records rollback needs), each with what to do instead.
 */
export function checkOutFile(out: string, journal: string, stateDir: string): void {
  const target = resolve(out);
  const info = lstatSync(target, { throwIfNoEntry: false });
  if (info && realPathOf(target) === realPathOf(journal))
    throw new UsageError(
      `--out ${out} is the run's journal; the report never overwrites it, name another file`,
    );
  if (info?.isSymbolicLink()) throw new UsageError(`--out ${out} is a symbolic link; name a plain file`);
  if (info?.isDirectory())
    throw new UsageError(`--out ${out} is a folder; name the report file, e.g. --out ${out}/report.html`);
  const folder = realPathOf(dirname(target));
  if (!folder || !lstatSync(folder).isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(target)} does not exist; create it first`);
  const runs = resolve(stateDir, 'runs');
  const fromRuns = relative(realPathOf(runs) ?? runs, join(folder, basename(target)));
  const isInsideRuns =
    fromRuns === '' || !(fromRuns === '..' || fromRuns.startsWith(`..${sep}`) || isAbsolute(fromRuns));
  if (isInsideRuns)
    throw new UsageError(
      `--out ${out} is inside ${runs}, where the run journals live; write the report elsewhere`,
    );
}

/** Writes a report file owner-only (reports show host state), never through a link. */
export function writeReportFile(out: string, text: string): void {
  const fd = openSync(
    resolve(out),
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function rollbackCommandOf(
  records: ReturnType<typeof readJournalFile>['records'],
  journal: string,
): string | undefined {
  const start = records.find((r) => r.type === 'run-start');
  return start?.type === 'run-start' ? rollbackCommandFor(start.runId, journal) : undefined;
}
