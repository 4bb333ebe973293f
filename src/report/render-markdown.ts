import { diffStates, formatStateLines } from './readable-state.js';
import type { ReportChange, RunReport } from './report-model.js';
import { STEP_MARKS, verdictOf } from './step-marks.js';
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

/** Renders a run report as Markdown (for tickets, wikis and e-mail). */
export function renderMarkdown(report: RunReport): string {
  const lines: string[] = [];
  lines.push(`# ${report.playbook.title}`, '');
  lines.push(`**${describeOutcome(report.outcome)}** — run \`${report.runId}\` against ${report.target}`, '');
  const unverified = report.changes.filter(
    (c) => c.status === 'revertUnverified' || c.status === 'rollbackFailed',
  );
  if (unverified.length) {
    lines.push(
      `> **Check by hand:** these changes may still be in place: ${unverified.map((c) => `${c.stepId} (${c.status})`).join(', ')}`,
      '',
    );
  }
  if (report.remaining.length) lines.push(`Causes still present: ${report.remaining.join(', ')}`, '');
  lines.push(...renderSummary(report));
  lines.push('## About this run', '', '| | |', '|---|---|');
  lines.push(
    `| Playbook | \`${report.playbook.name}\` (${report.playbook.file}, sha256 \`${report.playbook.sha256.slice(0, 12)}…\`) |`,
  );
  lines.push(`| Started | ${report.startedAt} |`);
  if (report.durationMs !== undefined) lines.push(`| Duration | ${formatDuration(report.durationMs)} |`);
  lines.push(`| By | ${report.host.user}@${report.host.name}, psremedy ${report.host.psremedyVersion} |`);
  if (report.lab) lines.push(`| Lab scenario | ${report.lab.scenario} |`);
  if (report.approval) lines.push(`| Approval | ${escapeCell(formatValue(report.approval))} |`);
  const params = Object.entries(report.params).map(([k, v]) => `${k}=${formatValue(v)}`);
  if (params.length) lines.push(`| Params | ${escapeCell(params.join(', '))} |`);
  if (report.secretParams.length)
    lines.push(`| Secret params (not recorded) | ${report.secretParams.join(', ')} |`);
  lines.push('');

  lines.push('## Evidence', '');
  const ranked = report.causes.filter((c) => c.detected);
  const unknown = report.causes.filter((c) => c.unknownBecause);
  if (ranked.length === 0)
    lines.push(
      unknown.length ? 'No cause was detected by the steps that ran.' : 'No cause was detected.',
      '',
    );
  for (const [i, cause] of ranked.entries()) {
    lines.push(
      `${i + 1}. **${cause.title}** (\`${cause.cause}\`, ${Math.round(cause.confidence * 100)}%, ${countOf(cause.agreeing, 'finding')}) — ${cause.remains ? 'still present' : 'cleared'}`,
    );
    for (const e of cause.evidence) lines.push(`   - ${e.evidence} — _${e.stepId}_`);
  }
  if (ranked.length) lines.push('');
  if (unknown.length) {
    lines.push('Unknown (their evidence depends on steps that did not run):', '');
    for (const c of unknown)
      lines.push(`- **${c.title}** (\`${c.cause}\`): needs ${c.unknownBecause?.join(', ')}`);
    lines.push('');
  }

  lines.push('## Changes in full', '');
  if (report.changes.length === 0) lines.push('Nothing was changed.', '');
  for (const change of report.changes) lines.push(...renderChange(change), '');

  lines.push('## Steps', '', '| Step | Kind | Phase | Result | Time | Notes |', '|---|---|---|---|---|---|');
  for (const s of report.steps) {
    const note = s.error?.message ?? s.reason ?? s.findings?.map((f) => f.evidence).join('; ') ?? '';
    const time = s.durationMs === undefined ? '' : formatDuration(s.durationMs);
    const mark = STEP_MARKS[verdictOf(s)];
    const result = s.status === 'unfinished' ? 'unfinished' : `${mark.symbol} ${mark.word}`;
    lines.push(`| ${s.stepId} | ${s.kind} | ${s.phase} | ${result} | ${time} | ${escapeCell(note)} |`);
  }
  lines.push('', '## Timeline', '');
  for (const t of report.timeline) lines.push(`- \`${t.at}\` ${t.text}`);
  return `${lines.join('\n')}\n`;
}

/** The summary a ticket needs first: each cause's result, each change's before/after and undo, the exit code. */
function renderSummary(report: RunReport): string[] {
  const { recap } = report;
  const out = ['## Summary', ''];
  if (recap.notInspected) {
    out.push(`> **Not inspected:** ${describeUnreachable(recap.notInspected)}`, '');
    if (recap.notInspected.steps.length)
      out.push(`Not run on the ${recap.notInspected.side}: ${recap.notInspected.steps.join(', ')}`, '');
  }
  if (recap.causes.length === 0) out.push(describeNoCause(recap), '');
  else {
    out.push('| Cause | Confidence | Result |', '|---|---|---|');
    for (const c of recap.causes) {
      const result =
        c.fate === 'fixed'
          ? `fixed and verified${c.fixedBy ? ` by \`${c.fixedBy}\`` : ''}`
          : `**remains**: ${c.why ?? ''}${c.next ? `. Next: ${c.next}` : ''}`;
      out.push(
        `| ${escapeCell(c.title)} (\`${c.cause}\`) | ${Math.round(c.confidence * 100)}% | ${escapeCell(result)} |`,
      );
    }
    out.push('');
  }
  if (recap.unknown)
    out.push(
      `Unknown (not looked at): ${recap.unknown.map((u) => `\`${u.cause}\` needs ${u.needs.join(', ')}`).join('; ')}.`,
      '',
    );
  if (recap.notRun) out.push(`Not run: ${describeNotRun(recap.notRun)}.`, '');
  if (report.changes.length === 0) out.push('Nothing was changed on the server.', '');
  else {
    out.push('| Change | Before | After | Status | Undo |', '|---|---|---|---|---|');
    for (const change of report.changes) {
      const undo = recap.changes.find((c) => c.stepId === change.stepId)?.undo ?? '';
      const diff = change.after === undefined ? [] : diffStates(change.before, change.after);
      const side = (pick: 'before' | 'after') => diff.map((d) => `${d.path}: ${d[pick]}`).join('; ');
      const state = (v: unknown, pick: 'before' | 'after') =>
        v === undefined ? 'not applied' : diff.length ? side(pick) : formatStateLines(v).join('; ');
      out.push(
        `| ${escapeCell(change.title)} (\`${change.stepId}\`) | ${escapeCell(state(change.before, 'before'))} | ${escapeCell(state(change.after, 'after'))} | ${describeChangeStatus(change)} | ${undo.startsWith('psremedy ') ? `\`${undo}\`` : escapeCell(undo)} |`,
      );
    }
    out.push('');
  }
  out.push(`Exit code ${recap.exitCode ?? '–'}: ${recap.exitMeaning}.`, '');
  return out;
}

function renderChange(change: ReportChange): string[] {
  const out = [`### ${change.title} (\`${change.stepId}\`, risk ${change.risk}) — ${change.status}`];
  if (change.fixes.length) out.push('', `Fixes: ${change.fixes.join(', ')}`);
  if (change.undoNote) out.push('', `Undo: ${change.undoNote}`);
  out.push('', 'Before:', '', '```json', JSON.stringify(change.before ?? null, null, 2), '```');
  if (change.after !== undefined)
    out.push('', 'After:', '', '```json', JSON.stringify(change.after, null, 2), '```');
  return out;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
