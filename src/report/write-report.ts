import { existsSync, writeFileSync } from 'node:fs';
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
    writeFileSync(options.out, text);
    write(`wrote ${options.out}\n`);
  } else {
    write(text);
  }
  return 0;
}

function rollbackCommandOf(records: ReturnType<typeof readJournal>, journal: string): string | undefined {
  const start = records.find((r) => r.type === 'run-start');
  return start?.type === 'run-start' ? rollbackCommandFor(start.runId, journal) : undefined;
}
