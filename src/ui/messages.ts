/** Every word the run reporters show a person, in one place. */

import type { StepStatus } from '../core/step-status.js';
import type { StepNotRun } from '../engine/cause-evidence.js';
import type {
  RollbackStepEvent,
  RunCrashFoundEvent,
  RunStartEvent,
  StepDiffEvent,
  StepEndEvent,
  StepProgressEvent,
  SummaryEvent,
} from '../engine/events.js';
import { readJournal } from '../engine/journal.js';
import type { RankedCause, RunOutcome } from '../engine/journal-records.js';
import { formatRunHint, stateDirOfJournal } from '../engine/run-hints.js';
import { buildReport } from '../report/build-report.js';
import { diffStates, formatStateLines } from '../report/readable-state.js';
import { rollbackCommandFor } from '../report/recap.js';
import type { RunReport } from '../report/report-model.js';
import { countOf } from '../report/words.js';
import type { Colors } from './colors.js';
import { formatNotRun, formatRecap } from './recap-lines.js';
import {
  describeFindings,
  formatConfidence,
  formatMark,
  paintTone,
  STEP_MARKS,
  verdictOf,
} from './step-marks.js';
import { formatUnreachableSummary } from './unreachable-words.js';
import { terminalWidth, wrapText } from './wrap-text.js';

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  ok: 'ok: nothing needed fixing',
  changed: 'fixed and verified',
  problemsRemain: 'problems remain',
  unreachable: 'not reachable for management: problems may remain',
  rolledBack: 'changes were rolled back',
  cancelled: 'interrupted',
};

const ACTIVITY_WORDS: Record<StepProgressEvent['activity'], string> = {
  testing: 'testing the current state',
  previewing: 'previewing the change (-WhatIf)',
  waitingForConsent: 'waiting for your answer',
  applying: 'applying',
  verifying: 'verifying (test again)',
  reconnecting: 'reconnecting after a disruptive change',
  waitingForServerRevert: 'not reachable: waiting for the server to revert the change itself',
};

/** What a step is doing now, in words. */
export function formatActivity(activity: StepProgressEvent['activity']): string {
  return ACTIVITY_WORDS[activity];
}

/** A step status as a word, coloured by how good it is. */
export function formatStatus(status: StepStatus, c: Colors): string {
  const mark = STEP_MARKS[status];
  return paintTone(mark.tone, mark.word, c);
}

/**
 * What a finished step came to, after its title: `found: firewall-closed 90%` or `no problem` for
 * a diagnose step that ran, else its status word and reason (`skipped: cause not detected: ...`).
 */
export function formatStepOutcome(
  e: Pick<StepEndEvent, 'kind' | 'status' | 'findings' | 'reason'>,
  c: Colors,
): string {
  const verdict = verdictOf(e);
  if (e.kind === 'diagnose' && e.status === 'ok')
    return paintTone(STEP_MARKS[verdict].tone, describeFindings(e.findings), c);
  return `${formatStatus(e.status, c)}${e.reason ? `: ${e.reason}` : ''}`;
}

/** The opening lines of a run, wrapped to `width` (the journal path is kept whole). */
export function formatRunStart(e: RunStartEvent, c: Colors, width = terminalWidth()): string[] {
  const mode = e.check ? ' (check mode: nothing will change)' : '';
  const [first = '', ...rest] = wrapText(
    `${e.resumed ? 'resuming' : 'run'} ${e.runId}: ${e.playbook.title} (${e.playbook.name}) on ${e.target}${mode}`,
    width,
    '  ',
  );
  const head = `${e.resumed ? 'resuming' : 'run'} ${e.runId}`;
  return [`${c.bold(head)}${first.slice(head.length)}`, ...rest, c.dim(`journal: ${e.journalPath}`)];
}

/** A crashed run found at start. */
export function formatCrashFound(e: RunCrashFoundEvent, c: Colors): string[] {
  const pending =
    e.pendingChanges.length > 0
      ? ` with changes that may still be in place (${e.pendingChanges.join(', ')})`
      : '';
  const stateDir = stateDirOfJournal(e.journalPath);
  return [
    c.yellow(`warning: run ${e.runId} of ${e.playbook} (started ${e.startedAt}) never finished${pending}.`),
    c.yellow(`  undo it:     ${formatRunHint('rollback', e.runId, stateDir)}`),
    c.yellow(`  continue it: ${formatRunHint('resume', e.runId, stateDir)}`),
    c.yellow(`  forget it:   ${formatRunHint('runs --forget', e.runId, stateDir)}`),
  ];
}

/** One line for a finished step: its mark, id, title, what it came to, and its time. */
export function formatStepEnd(e: StepEndEvent, title: string, c: Colors): string {
  const phase = e.phase === 'recheck' ? 're-check ' : '';
  return `${formatMark(verdictOf(e), c)} ${phase}${e.stepId} ${c.dim(`(${title})`)} ${formatStepOutcome(e, c)} ${c.dim(`${e.durationMs} ms`)}`;
}

/**
 * The ranked causes, strongest first, with their evidence, wrapped to `width`; then the causes
 * left unknown and the diagnose steps that did not run.
 */
export function formatCauses(
  e: { causes: RankedCause[]; diagnosed: boolean; notRun: StepNotRun[] },
  c: Colors,
  width = terminalWidth(),
): string[] {
  if (!e.diagnosed) return ['causes: not diagnosed (no diagnose step was selected)'];
  const found = e.causes.filter((x) => x.confidence > 0 && !x.unknownBecause);
  const unknown = e.causes.filter((x) => x.unknownBecause);
  const lines =
    found.length > 0
      ? ['causes, most likely first:']
      : [e.notRun.length > 0 ? 'causes: none found by the steps that ran' : 'causes: none found'];
  for (const [i, cause] of found.entries()) {
    const mark = cause.detected ? c.bold(c.yellow('detected')) : c.dim('possible');
    const agree = countOf(cause.agreeing, 'finding');
    const head = wrapText(
      `  ${i + 1}. ${cause.title} [${cause.cause}] ${formatConfidence(cause.confidence)}, ${agree}, ${cause.detected ? 'detected' : 'possible'}`,
      width,
      '     ',
    );
    const last = head.length - 1;
    head[last] = (head[last] ?? '').replace(/(detected|possible)$/, mark);
    lines.push(...head);
    for (const ev of cause.evidence)
      lines.push(...wrapText(`       ${ev.stepId}: ${ev.evidence}`, width, '         ').map((l) => c.dim(l)));
  }
  if (unknown.length > 0) {
    lines.push(c.yellow('unknown (their evidence depends on steps that did not run):'));
    for (const cause of unknown)
      lines.push(`  ? ${cause.title} [${cause.cause}]: needs ${cause.unknownBecause?.join(', ')}`);
  }
  if (e.notRun.length > 0) lines.push(c.yellow(`not run: ${formatNotRun(e.notRun)}`));
  return lines;
}

/** One undo's result; revertUnverified is loud on purpose. */
export function formatRollbackStep(e: RollbackStepEvent, c: Colors): string[] {
  const lines = [`  undo ${e.stepId}: ${formatStatus(e.status, c)}${e.note ? ` (${e.note})` : ''}`];
  if (e.status === 'revertUnverified') {
    lines.push(c.red(`    expected: ${JSON.stringify(e.before)}`));
    lines.push(c.red(`    found:    ${JSON.stringify(e.state)}`));
  }
  if (e.error) lines.push(c.red(`    ${e.error.message}`));
  return lines;
}

/**
 * The closing summary: the step counts, then the recap built from the run's journal (the same facts
 * as its report). Without a readable journal, the causes found, fixed and still present.
 */
export function formatSummary(e: SummaryEvent, c: Colors, width = terminalWidth()): string[] {
  const n = e.counts;
  const counts = [
    `ok ${n.ok}`,
    `changed ${n.changed}`,
    `skipped ${n.skipped}`,
    `failed ${n.failed}`,
    `rolled back ${n.rolledBack}`,
    ...(n.revertUnverified ? [c.red(`REVERT UNVERIFIED ${n.revertUnverified}`)] : []),
    ...(n.rollbackFailed ? [c.red(`ROLLBACK FAILED ${n.rollbackFailed}`)] : []),
    ...(n.unreachable ? [c.red(`UNREACHABLE ${n.unreachable}`)] : []),
  ];
  const stateDir = stateDirOfJournal(e.journalPath);
  const kept = e.keptPartialChanges
    ? [
        c.yellow(
          `  --no-rollback: partial changes were kept; undo them with ${rollbackCommandFor(e.runId, e.journalPath)}`,
        ),
      ]
    : [];
  const steps = `  steps: ${counts.join(', ')} ${c.dim(`(${(e.durationMs / 1000).toFixed(1)} s, run ${e.runId})`)}`;
  const report = readRunReport(e.journalPath, rollbackCommandFor(e.runId, e.journalPath));
  // The recap names each change's undo command; the report and continue commands follow it.
  if (report)
    return [...formatRecap(report, c, width, steps), ...kept, ...formatNextCommands(e, stateDir, false)];
  const detected = e.causes.filter((x) => x.detected);
  const incomplete = e.outcome === 'problemsRemain' && e.remaining.length === 0 && e.unknown.length > 0;
  const outcome = incomplete ? 'diagnosis incomplete: some causes are unknown' : OUTCOME_WORDS[e.outcome];
  const found = !e.diagnosed
    ? 'not diagnosed (no diagnose step was selected)'
    : detected.length
      ? detected.map((x) => `${x.cause} (${formatConfidence(x.confidence)})`).join(', ')
      : e.notRun.length > 0
        ? 'none by the steps that ran'
        : 'none';
  const good = e.outcome === 'ok' || e.outcome === 'changed';
  return [
    c.bold('summary'),
    ...wrapText(steps, width, '    '),
    `  causes found: ${found}`,
    `  fixed: ${e.fixed.length ? e.fixed.join(', ') : 'nothing'}`,
    ...(e.remaining.length ? [c.yellow(`  still present: ${e.remaining.join(', ')}`)] : []),
    ...(e.unreachable ? formatUnreachableSummary(e.unreachable, e.causes, c) : []),
    ...(e.unknown.length ? [c.yellow(`  unknown: ${e.unknown.join(', ')}`)] : []),
    ...(e.notRun.length ? [c.yellow(`  not run: ${formatNotRun(e.notRun)}`)] : []),
    ...kept,
    `${good ? c.green(outcome) : c.bold(c.yellow(outcome))}`,
    ...formatNextCommands(e, stateDir, true),
  ];
}

/**
 * What the admin can do next, as commands to paste: the report, undo (when `withUndo`: the recap
 * names it per change otherwise) and continue when they apply.
 */
function formatNextCommands(e: SummaryEvent, stateDir: string, withUndo: boolean): string[] {
  const lines = [`  report: ${formatRunHint('report', e.runId, stateDir)}`];
  if (withUndo && (e.fixed.length > 0 || e.keptPartialChanges))
    lines.push(`  undo:   ${formatRunHint('rollback', e.runId, stateDir)}`);
  if (e.keptPartialChanges)
    lines.push(`  continue after fixing the cause: ${formatRunHint('resume', e.runId, stateDir)}`);
  return lines;
}

/** The report of a finished run, read back from its journal; undefined when it cannot be read. */
function readRunReport(journalPath: string, rollbackCommand: string): RunReport | undefined {
  try {
    return buildReport(readJournal(journalPath), rollbackCommand);
  } catch {
    return undefined;
  }
}

/**
 * What --diff shows for one change: each value it altered (`builtIn.enabled: no -> yes`), or with
 * --check, the state as labelled lines; then the -WhatIf lines, or why no preview could be made.
 */
export function formatDiff(e: StepDiffEvent): string[] {
  const changes =
    e.after === undefined
      ? formatStateLines(e.before).map((l) => `now: ${l}`)
      : diffStates(e.before, e.after).map((d) => `${d.path}: ${d.before} -> ${d.after}`);
  if (e.after !== undefined && changes.length === 0) changes.push('no difference between before and after');
  return [...changes, ...(e.whatIf ?? []), ...(e.noPreview ? [`no preview available: ${e.noPreview}`] : [])];
}

/** A JSON value on one line, cut to a readable length. */
export function formatValue(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export { formatConfidence, formatMark, paintTone } from './step-marks.js';
