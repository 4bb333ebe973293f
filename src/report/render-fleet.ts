/**
 * The report of a fleet run: an overview with one row per host (outcome, top cause, fixes), each
 * linking to that host's own report below it, in one file (HTML or Markdown), or all as JSON.
 */
import { buildReport } from './build-report.js';
import { esc, renderRunSections } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { REPORT_CSS } from './report-css.js';
import type { RunReport } from './report-model.js';

/** One host of a fleet run: how the fleet journal says it ended, and its own journal when it ran. */
export interface FleetReportHost {
  host: string;
  runId: string;
  /** The fleet's word for its outcome (ok, repaired, failed, rolled back, unreachable, refused…). */
  outcome: string;
  reason?: string;
  records?: Parameters<typeof buildReport>[0];
  rollbackCommand?: string;
}

/** What a fleet report shows above the hosts. */
export interface FleetReportHead {
  fleetId: string;
  playbook: string;
  startedAt: string;
  counts: Record<string, number>;
  causes: Array<{ cause: string; hosts: string[] }>;
}

interface Row extends FleetReportHost {
  anchor: string;
  report?: RunReport;
}

/** Renders the fleet report in `format`. */
export function renderFleetReport(
  head: FleetReportHead,
  hosts: FleetReportHost[],
  format: 'md' | 'html' | 'json',
): string {
  const rows: Row[] = hosts.map((h) => ({
    ...h,
    anchor: `host-${h.host.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`,
    ...(h.records ? { report: buildReport(h.records, h.rollbackCommand) } : {}),
  }));
  if (format === 'json')
    return `${JSON.stringify({ ...head, hosts: rows.map(({ anchor: _, records: __, ...r }) => r) }, null, 2)}\n`;
  if (format === 'md') return renderFleetMarkdown(head, rows);
  return renderFleetHtml(head, rows);
}

function topCause(report: RunReport | undefined): string {
  const top = report?.causes.find((c) => c.detected);
  return top ? `${top.cause} (${Math.round(top.confidence * 100)}%)` : report ? 'none' : '–';
}

function fixesOf(report: RunReport | undefined): string {
  return report?.fixed.length ? report.fixed.join(', ') : '–';
}

/**
 * A host's outcome as the fleet journal has it, and, when `psremedy rollback` undid the host
 * after the fleet run ended, that too: the overview must not call an undone host repaired.
 */
export function outcomeNow(row: { outcome: string; report?: RunReport }): string {
  const undoneLater = row.report?.outcome === 'rolledBack' && row.outcome !== 'rolledBack';
  return undoneLater ? `${row.outcome}, then rolled back` : row.outcome;
}

function countsLine(head: FleetReportHead): string {
  return Object.entries(head.counts)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${o} ${n}`)
    .join(', ');
}

function renderFleetHtml(head: FleetReportHead, rows: Row[]): string {
  const overview = rows
    .map(
      (r) =>
        `<tr class="outcome-${esc(r.outcome)}"><td><a href="#${esc(r.anchor)}">${esc(r.host)}</a></td><td>${esc(outcomeNow(r))}</td><td>${esc(topCause(r.report))}</td><td>${esc(fixesOf(r.report))}</td></tr>`,
    )
    .join('\n');
  const causes = head.causes
    .map((c) => `<li>${esc(c.cause)} on ${c.hosts.length} of ${rows.length}: ${esc(c.hosts.join(', '))}</li>`)
    .join('');
  const sections = rows
    .map((r) =>
      r.report
        ? `<article id="${esc(r.anchor)}">${renderRunSections(r.report, `${r.anchor}-`)}</article>`
        : `<article id="${esc(r.anchor)}"><h1>${esc(r.host)}</h1><p class="alert">${esc(r.outcome)}: ${esc(r.reason ?? 'it did not run')}</p></article>`,
    )
    .join('\n<hr>\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(head.playbook)} on ${rows.length} hosts</title><style>${REPORT_CSS}</style></head>
<body><main>
<header><h1>${esc(head.playbook)} on ${rows.length} hosts</h1>
<p class="outcome">${esc(countsLine(head))}</p>
<dl class="who"><div><dt>Fleet run</dt><dd><code>${esc(head.fleetId)}</code></dd></div><div><dt>Started</dt><dd>${esc(head.startedAt.replace('T', ' ').slice(0, 19))} UTC</dd></div></dl></header>
<section id="fleet"><h2>Hosts</h2>
<table class="fleet"><thead><tr><th>Host</th><th>Outcome</th><th>Top cause</th><th>Fixes</th></tr></thead><tbody>
${overview}
</tbody></table>${causes ? `<ul class="fleet-causes">${causes}</ul>` : '<p>No cause found on any host.</p>'}</section>
${sections}
</main></body></html>
`;
}

function renderFleetMarkdown(head: FleetReportHead, rows: Row[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `# ${head.playbook} on ${rows.length} hosts`,
    '',
    `Fleet run \`${head.fleetId}\`, started ${head.startedAt.replace('T', ' ').slice(0, 19)} UTC: ${countsLine(head)}.`,
    '',
    '| Host | Outcome | Top cause | Fixes |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [${cell(r.host)}](#${r.anchor}) | ${cell(outcomeNow(r))} | ${cell(topCause(r.report))} | ${cell(fixesOf(r.report))} |`,
    ),
    '',
    ...head.causes.map((c) => `- ${c.cause} on ${c.hosts.length} of ${rows.length}: ${c.hosts.join(', ')}`),
  ];
  for (const r of rows) {
    lines.push('', `<a id="${r.anchor}"></a>`, '', `## ${r.host}`, '');
    lines.push(
      r.report
        ? renderMarkdown(r.report).replace(/^#/gm, '##')
        : `${r.outcome}: ${r.reason ?? 'it did not run'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
