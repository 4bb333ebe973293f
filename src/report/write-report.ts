import { existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readJournalFile } from '../engine/journal.js';
import { journalPathOfRunId, resolveStateDir } from '../engine/run-store.js';
import { type ReportFormat, renderReport } from './index.js';

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
    : journalPathOfRunId(stateDir, runIdOrJournal);
  if (!existsSync(journal)) {
    throw new UsageError(
      `no run "${runIdOrJournal}" in ${stateDir} (no ${journal}); \`psremedy runs\` lists the runs`,
    );
  }
  if (options.out) checkOutFile(options.out, journal);
  const { records, tornTailBytes } = readJournalFile(journal);
  if (tornTailBytes > 0)
    warn(
      `note: the last record of ${journal} was cut off mid-write (${tornTailBytes} bytes, a crash) and is left out of the report`,
    );
  const text = renderReport(records, format);
  if (options.out) {
    writeFileSync(options.out, text);
    write(`wrote ${options.out}\n`);
  } else {
    write(text);
  }
  return 0;
}

/** Refuses an --out that is the journal itself, a folder, or in a folder that does not exist. */
function checkOutFile(out: string, journal: string): void {
  const target = resolve(out);
  const info = statSync(target, { throwIfNoEntry: false });
  if (info?.isDirectory())
    throw new UsageError(`--out ${out} is a folder; name the report file, e.g. --out ${out}/report.html`);
  if (info && realpathSync(target) === realpathSync(journal))
    throw new UsageError(
      `--out ${out} is the run's journal; the report never overwrites it, name another file`,
    );
  const folder = statSync(dirname(target), { throwIfNoEntry: false });
  if (!folder?.isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(target)} does not exist; create it first`);
}
