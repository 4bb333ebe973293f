import { STEP_MARKS, verdictOf } from '../ui/step-marks.js';
import { diffStates, formatStateLines } from './readable-state.js';
import { REPORT_CSS } from './report-css.js';
import type { ReportChange, ReportStep, RunReport } from './report-model.js';
import {
  countOf,
  describeChangeStatus,
  describeNoCause,
  describeNotRun,
  describeOutcome,
  describeUnreachable,
  formatDuration,
  formatValue,
} from './words.js';

/**
 * Renders a run report as ONE self-contained HTML file: inline CSS, no script, no network (a
 * Content-Security-Policy forbids any fetch), every value escaped. The summary comes first
 * (server, verdict, causes, changes with before/after and their undo); evidence, steps, timeline
 * and the run's facts follow. It prints on A4/Letter as it reads on screen.
 */
export function renderHtml(report: RunReport): string {
  const title = `${report.playbook.title} — ${describeOutcome(report.outcome)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
${renderRunSections(report)}
</main></body></html>
`;
}

/** The body of a run's report (header and sections); `prefix` keeps ids apart when several share a page. */
export function renderRunSections(report: RunReport, prefix = ''): string {
  return `<header class="outcome-${esc(report.outcome)}"><h1>${esc(report.playbook.title)}</h1>
<p class="outcome">${esc(describeOutcome(report.outcome))}</p>
<dl class="who"><div><dt>Server</dt><dd>${esc(report.target)}</dd></div><div><dt>Run</dt><dd><code>${esc(report.runId)}</code></dd></div><div><dt>Started</dt><dd>${esc(report.startedAt.replace('T', ' ').slice(0, 19))} UTC</dd></div><div><dt>Took</dt><dd>${esc(report.durationMs === undefined ? 'unfinished' : formatDuration(report.durationMs))}</dd></div></dl></header>
${renderAttention(report)}
<section id="${prefix}summary"><h2>Summary</h2>${renderNotInspected(report)}${renderRecapCauses(report)}${renderRecapChanges(report)}
<p class="exit">Exit code <strong>${esc(String(report.recap.exitCode ?? '–'))}</strong>: ${esc(report.recap.exitMeaning)}.</p></section>
<section id="${prefix}evidence"><h2>Evidence</h2>${renderCauses(report)}</section>
<section id="${prefix}changes"><h2>Changes in full</h2>${report.changes.length ? report.changes.map(renderChange).join('') : '<p>Nothing was changed.</p>'}</section>
<section id="${prefix}steps"><h2>Steps</h2>${renderSteps(report.steps)}</section>
<section id="${prefix}timeline"><h2>Timeline</h2>${renderTimeline(report)}</section>
<section id="${prefix}facts"><h2>About this run</h2>${renderFacts(report)}</section>`;
}

/** Loud callouts: undos that could not be verified, and causes still present. */
function renderAttention(report: RunReport): string {
  const unverified = report.changes.filter(
    (c) => c.status === 'revertUnverified' || c.status === 'rollbackFailed',
  );
  const parts: string[] = [];
  if (unverified.length) {
    const names = unverified.map((c) => `${c.title} (${c.stepId}: ${c.status})`).join('; ');
    parts.push(
      `<p class="alert"><strong>Check by hand:</strong> these changes may still be in place: ${esc(names)}</p>`,
    );
  }
  if (report.remaining.length) {
    parts.push(`<p class="remaining">Causes still present: ${esc(report.remaining.join(', '))}</p>`);
  }
  return parts.join('');
}

/** The side the run could not manage, first in the summary: why, what to do, the steps not run. */
function renderNotInspected(report: RunReport): string {
  const not = report.recap.notInspected;
  if (!not) return '';
  const steps = not.steps.length
    ? `<div class="sub">Not run on the ${esc(not.side)}: ${esc(not.steps.join(', '))}</div>`
    : '';
  return `<p class="alert"><strong>Not inspected:</strong> ${esc(describeUnreachable(not))}${steps}</p>`;
}

function renderRecapCauses(report: RunReport): string {
  const causes = report.recap.causes;
  const { unknown, notRun } = report.recap;
  const more = `${unknown ? `<p>Unknown (not looked at): ${esc(unknown.map((u) => `${u.cause} needs ${u.needs.join(', ')}`).join('; '))}</p>` : ''}${notRun ? `<p>Not run: ${esc(describeNotRun(notRun))}</p>` : ''}`;
  if (causes.length === 0) return `<p>${esc(describeNoCause(report.recap))}</p>${more}`;
  const rows = causes.map((c) => {
    const result =
      c.fate === 'fixed'
        ? `<span class="tag fate-cleared">fixed and verified</span>${c.fixedBy ? ` by <code>${esc(c.fixedBy)}</code>` : ''}`
        : `<span class="tag fate-remains">remains</span> ${esc(c.why ?? '')}${c.next ? `<div class="next">Next: ${esc(c.next)}</div>` : ''}`;
    return `<tr><td><strong>${esc(c.title)}</strong><div class="sub"><code>${esc(c.cause)}</code></div></td><td class="num">${Math.round(c.confidence * 100)}%</td><td>${result}</td></tr>`;
  });
  return `<h3>Causes</h3><table class="recap"><thead><tr><th>Cause</th><th>Confidence</th><th>Result</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function renderRecapChanges(report: RunReport): string {
  if (report.changes.length === 0) return '<h3>Changes</h3><p>Nothing was changed on the server.</p>';
  const rows = report.changes.map((change) => {
    const recap = report.recap.changes.find((c) => c.stepId === change.stepId);
    const undo = recap?.undo ?? '';
    const undoCell = undo.startsWith('psremedy ') ? `<code>${esc(undo)}</code>` : esc(undo);
    const diff = change.after === undefined ? [] : diffStates(change.before, change.after);
    const before = diff.length
      ? list(diff.map((d) => `${d.path}: ${d.before}`))
      : list(formatStateLines(change.before));
    const after =
      change.after === undefined
        ? '<span class="sub">not applied</span>'
        : diff.length
          ? list(diff.map((d) => `${d.path}: ${d.after}`))
          : '<span class="sub">no difference</span>';
    return `<tr class="status-${esc(change.status)}"><td><strong>${esc(change.title)}</strong><div class="sub"><code>${esc(change.stepId)}</code> · risk ${esc(change.risk)}</div></td><td>${before}</td><td>${after}</td><td><span class="tag">${esc(describeChangeStatus(change))}</span><div class="undo">Undo: ${undoCell}</div></td></tr>`;
  });
  return `<h3>Changes</h3><table class="recap changes"><thead><tr><th>Change</th><th>Before</th><th>After</th><th>Status and undo</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function list(lines: string[]): string {
  return `<ul class="state">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

function renderFacts(report: RunReport): string {
  const rows: Array<[string, string]> = [
    ['Playbook', `${report.playbook.name} (${report.playbook.file})`],
    ['Playbook sha256', report.playbook.sha256],
    ['Started', report.startedAt],
    ['Duration', report.durationMs === undefined ? 'unfinished' : formatDuration(report.durationMs)],
    ['By', `${report.host.user}@${report.host.name}, psremedy ${report.host.psremedyVersion}`],
  ];
  if (report.lab) rows.push(['Lab scenario', report.lab.scenario]);
  if (report.approval) rows.push(['Approval', formatValue(report.approval)]);
  for (const [k, v] of Object.entries(report.params)) rows.push([`Param ${k}`, formatValue(v)]);
  if (report.secretParams.length) rows.push(['Secret params (not recorded)', report.secretParams.join(', ')]);
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function renderCauses(report: RunReport): string {
  const detected = report.causes.filter((c) => c.detected);
  const unknown = report.causes.filter((c) => c.unknownBecause);
  const unknownList = unknown.length
    ? `<p>Unknown (their evidence depends on steps that did not run):</p><ul class="unknown">${unknown
        .map(
          (c) =>
            `<li><strong>${esc(c.title)}</strong> <code>${esc(c.cause)}</code>: needs ${esc(c.unknownBecause?.join(', ') ?? '')}</li>`,
        )
        .join('')}</ul>`
    : '';
  if (detected.length === 0)
    return `<p>${unknown.length ? 'No cause was detected by the steps that ran.' : 'No cause was detected.'}</p>${unknownList}`;
  const items = detected.map((c) => {
    const pct = Math.round(c.confidence * 100);
    const evidence = c.evidence
      .map((e) => `<li>${esc(e.evidence)} <span class="by">${esc(e.stepId)}</span></li>`)
      .join('');
    return `<li><div class="cause"><strong>${esc(c.title)}</strong> <code>${esc(c.cause)}</code>
<span class="bar" style="--pct:${pct}%"><span></span></span> <span class="pct">${pct}%</span>
<span class="agree">${countOf(c.agreeing, 'finding')}</span> <span class="tag fate-${c.remains ? 'remains' : 'cleared'}">${c.remains ? 'still present' : 'cleared'}</span></div><ul class="evidence">${evidence}</ul></li>`;
  });
  return `<ol class="causes">${items.join('')}</ol>${unknownList}`;
}

function renderChange(change: ReportChange): string {
  const after =
    change.after === undefined ? '' : `<div><h4>After</h4><pre>${esc(json(change.after))}</pre></div>`;
  return `<article class="change status-${esc(change.status)}"><h3>${esc(change.title)} <code>${esc(change.stepId)}</code></h3>
<p><span class="tag">${esc(change.status)}</span> risk <strong>${esc(change.risk)}</strong>${change.fixes.length ? ` · fixes ${esc(change.fixes.join(', '))}` : ''}${change.undoNote ? ` · ${esc(change.undoNote)}` : ''}</p>
<div class="diff"><div><h4>Before</h4><pre>${esc(json(change.before))}</pre></div>${after}</div></article>`;
}

function renderTimeline(report: RunReport): string {
  const t0 = Date.parse(report.startedAt);
  const rows = report.timeline.map((t) => {
    const offset = Number.isNaN(t0) ? '' : `+${formatDuration(Math.max(0, Date.parse(t.at) - t0))}`;
    return `<li class="ev-${esc(t.type)}"><time datetime="${esc(t.at)}">${esc(offset)}</time> ${esc(t.text)}</li>`;
  });
  return `<ol class="timeline">${rows.join('')}</ol>`;
}

function renderSteps(steps: ReportStep[]): string {
  const rows = steps.map((s) => {
    const note = s.error
      ? `${s.error.message}${s.error.line ? ` (line ${s.error.line})` : ''}`
      : (s.reason ?? '');
    const findings = (s.findings ?? [])
      .filter((f) => f.confidence > 0)
      .map((f) => `<div>${esc(f.cause)} ${Math.round(f.confidence * 100)}%: ${esc(f.evidence)}</div>`)
      .join('');
    const time = s.durationMs === undefined ? '' : formatDuration(s.durationMs);
    const verdict = verdictOf(s);
    const mark = STEP_MARKS[verdict];
    return `<tr class="st-${esc(s.status)} v-${esc(verdict)}"><td><code>${esc(s.stepId)}</code><div class="sub">${esc(s.title)}</div></td><td>${esc(s.kind)}${s.phase === 'recheck' ? ' (re-check)' : ''}</td><td><span class="tag"><span class="mark">${esc(mark.symbol)}</span> ${esc(s.status === 'unfinished' ? 'unfinished' : mark.word)}</span></td><td>${esc(time)}</td><td>${esc(note)}${findings}</td></tr>`;
  });
  return `<table class="steps"><thead><tr><th>Step</th><th>Kind</th><th>Result</th><th>Time</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
