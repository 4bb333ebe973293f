/** Every word the run reporters show a person, in one place. */
import type { StepStatus } from '../core/step-status.js';
import type { StepNotRun } from '../engine/cause-evidence.js';
import type {
  RollbackStepEvent,
  RunCrashFoundEvent,
  RunStartEvent,
  StepEndEvent,
  StepProgressEvent,
  SummaryEvent,
} from '../engine/events.js';
import type { RankedCause, RunOutcome } from '../engine/journal-records.js';
import { formatRunHint, stateDirOfJournal } from '../engine/run-hints.js';
import type { Colors } from './colors.js';

const STATUS_WORDS: Record<StepStatus, string> = {
  pending: 'pending',
  running: 'running',
  ok: 'ok',
  changed: 'changed',
  skipped: 'skipped',
  failed: 'FAILED',
  timedOut: 'TIMED OUT',
  rollingBack: 'rolling back',
  rolledBack: 'rolled back',
  revertUnverified: 'REVERT UNVERIFIED',
  rollbackFailed: 'ROLLBACK FAILED',
  cancelled: 'cancelled',
};

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  ok: 'ok: nothing needed fixing',
  changed: 'fixed and verified',
  problemsRemain: 'problems remain',
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
};

/** What a step is doing now, in words. */
export function formatActivity(activity: StepProgressEvent['activity']): string {
  return ACTIVITY_WORDS[activity];
}

/** A step status as a word, coloured by how good it is. */
export function formatStatus(status: StepStatus, c: Colors): string {
  const word = STATUS_WORDS[status];
  if (status === 'ok') return c.green(word);
  if (status === 'changed' || status === 'rolledBack') return c.yellow(word);
  if (status === 'skipped' || status === 'cancelled') return c.dim(word);
  if (
    status === 'failed' ||
    status === 'timedOut' ||
    status === 'revertUnverified' ||
    status === 'rollbackFailed'
  )
    return c.bold(c.red(word));
  return word;
}

/** The opening lines of a run. */
export function formatRunStart(e: RunStartEvent, c: Colors): string[] {
  const mode = e.check ? ' (check mode: nothing will change)' : '';
  return [
    `${c.bold(`${e.resumed ? 'resuming' : 'run'} ${e.runId}`)}: ${e.playbook.title} (${e.playbook.name}) on ${e.target}${mode}`,
    c.dim(`journal: ${e.journalPath}`),
  ];
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

/** One line for a finished step, with its reason and time. */
export function formatStepEnd(e: StepEndEvent, title: string, c: Colors): string {
  const phase = e.phase === 'recheck' ? 're-check ' : '';
  const reason = e.reason ? `: ${e.reason}` : '';
  return `${phase}${e.stepId} ${c.dim(`(${title})`)} ${formatStatus(e.status, c)}${reason} ${c.dim(`${e.durationMs} ms`)}`;
}

/** A confidence as a percentage. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** The ranked causes, strongest first, with their evidence; unknown causes and missing steps last. */
export function formatCauses(
  e: { causes: RankedCause[]; diagnosed: boolean; notRun: StepNotRun[] },
  c: Colors,
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
    const agree = `${cause.agreeing} finding${cause.agreeing === 1 ? '' : 's'}`;
    lines.push(
      `  ${i + 1}. ${cause.title} [${cause.cause}] ${formatConfidence(cause.confidence)}, ${agree}, ${mark}`,
    );
    for (const ev of cause.evidence) lines.push(c.dim(`       ${ev.stepId}: ${ev.evidence}`));
  }
  if (unknown.length > 0) {
    lines.push(c.yellow('unknown (their evidence depends on steps that did not run):'));
    for (const cause of unknown)
      lines.push(`  ? ${cause.title} [${cause.cause}]: needs ${cause.unknownBecause?.join(', ')}`);
  }
  if (e.notRun.length > 0) lines.push(c.yellow(`not run: ${formatNotRun(e.notRun)}`));
  return lines;
}

/** Steps that did not run, with why: `dns (skipped at the prompt), tcp (failed)`. */
export function formatNotRun(notRun: StepNotRun[]): string {
  return notRun
    .map(
      (s) =>
        `${s.stepId} (${s.status === 'notRun' ? 'not run' : (s.reason ?? STATUS_WORDS[s.status as StepStatus] ?? s.status)})`,
    )
    .join(', ');
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

/** The closing summary. */
export function formatSummary(e: SummaryEvent, c: Colors): string[] {
  const n = e.counts;
  const counts = [
    `ok ${n.ok}`,
    `changed ${n.changed}`,
    `skipped ${n.skipped}`,
    `failed ${n.failed}`,
    `rolled back ${n.rolledBack}`,
    ...(n.revertUnverified ? [c.red(`REVERT UNVERIFIED ${n.revertUnverified}`)] : []),
    ...(n.rollbackFailed ? [c.red(`ROLLBACK FAILED ${n.rollbackFailed}`)] : []),
  ];
  const stateDir = stateDirOfJournal(e.journalPath);
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
    `  ${counts.join(', ')}`,
    `  causes found: ${found}`,
    `  fixed: ${e.fixed.length ? e.fixed.join(', ') : 'nothing'}`,
    ...(e.remaining.length ? [c.yellow(`  still present: ${e.remaining.join(', ')}`)] : []),
    ...(e.unknown.length ? [c.yellow(`  unknown: ${e.unknown.join(', ')}`)] : []),
    ...(e.notRun.length ? [c.yellow(`  not run: ${formatNotRun(e.notRun)}`)] : []),
    ...(e.keptPartialChanges
      ? [
          c.yellow(
            `  --no-rollback: partial changes were kept; undo them with ${formatRunHint('rollback', e.runId, stateDir)}`,
          ),
        ]
      : []),
    `${good ? c.green(outcome) : c.bold(c.yellow(outcome))} ${c.dim(`in ${(e.durationMs / 1000).toFixed(1)} s, run ${e.runId}`)}`,
    ...formatNextCommands(e, stateDir),
  ];
}

/** What the admin can do next, as commands to paste: the report, and undo or continue when they apply. */
function formatNextCommands(e: SummaryEvent, stateDir: string): string[] {
  const lines = [`  report: ${formatRunHint('report', e.runId, stateDir)}`];
  if (e.fixed.length > 0 || e.keptPartialChanges)
    lines.push(`  undo:   ${formatRunHint('rollback', e.runId, stateDir)}`);
  if (e.keptPartialChanges)
    lines.push(`  continue after fixing the cause: ${formatRunHint('resume', e.runId, stateDir)}`);
  return lines;
}

/** A JSON value on one line, cut to a readable length. */
export function formatValue(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
