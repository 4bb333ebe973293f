import type { JournalRecord } from '../engine/journal-records.js';
import { buildReport } from './build-report.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

export { buildReport } from './build-report.js';
export { RunReport, reportJsonSchema } from './report-model.js';

/** The formats `psremedy report` writes. */
export type ReportFormat = 'md' | 'html' | 'json';

/** Renders the report of a run, from its journal records, in one format (`rollbackCommand`: see buildReport). */
export function renderReport(
  records: JournalRecord[],
  format: ReportFormat,
  rollbackCommand?: string,
): string {
  const report = buildReport(records, rollbackCommand);
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'html') return renderHtml(report);
  return renderMarkdown(report);
}
