/** The end of a run: counts of final step states, what was fixed and what remains, the outcome. */

import { findDiagnoseStepsNotRun, type StepNotRun } from './cause-evidence.js';
import type { SummaryEvent } from './events.js';
import type { RollbackEndRecord, RunCounts, RunOutcome } from './journal-records.js';
import type { RunContext } from './run-context.js';

/** How the run stopped, as the orchestrator saw it. */
export interface RunEnding {
  stop?: 'failed' | 'aborted' | 'interrupted';
  rollback?: RollbackEndRecord['status'];
  cleared: Set<string>;
}

/** Every final-state count at zero. */
export function emptyCounts(): RunCounts {
  return {
    ok: 0,
    changed: 0,
    skipped: 0,
    failed: 0,
    rolledBack: 0,
    revertUnverified: 0,
    rollbackFailed: 0,
    unreachable: 0,
  };
}

/** Where the run could not reach, why, and which steps ended `unreachable` there. */
export function describeUnreachable(run: RunContext): SummaryEvent['unreachable'] {
  const [entry] = run.unreachable;
  if (!entry) return undefined;
  const [on, unreachable] = entry;
  const steps = [...run.steps].filter(([, s]) => s.status === 'unreachable').map(([id]) => id);
  return { ...unreachable, on, steps };
}

/** Counts, fixed steps, remaining causes and the outcome of a run. */
export function summarizeRun(
  run: RunContext,
  ending: RunEnding,
): {
  counts: RunCounts;
  fixed: string[];
  remaining: string[];
  unknown: string[];
  notRun: StepNotRun[];
  outcome: RunOutcome;
} {
  const counts = emptyCounts();
  const undone = new Map(run.changes.filter((c) => c.undone).map((c) => [c.intent.stepId, c.undone]));
  const fixed: string[] = [];
  for (const [id, step] of run.steps) {
    const status = step.status === 'changed' ? (undone.get(id) ?? 'changed') : step.status;
    if (status === 'changed') fixed.push(id);
    if (status === 'ok' || status === 'changed' || status === 'skipped') counts[status] += 1;
    else if (status === 'rolledBack' || status === 'revertUnverified' || status === 'rollbackFailed')
      counts[status] += 1;
    // The server undid it itself and a fresh test matched the before-state: a verified rollback.
    else if (status === 'autoReverted') counts.rolledBack += 1;
    else if (status === 'failed' || status === 'timedOut' || status === 'cancelled') counts.failed += 1;
    else if (status === 'unreachable') counts.unreachable = (counts.unreachable ?? 0) + 1;
  }
  // After a rollback every cause found is back; otherwise a cause is gone once a fix cleared it.
  const cleared = ending.rollback ? new Set<string>() : ending.cleared;
  const remaining = run.diagnosed.filter((c) => c.detected && !cleared.has(c.cause)).map((c) => c.cause);
  const unknown = run.ranked.filter((c) => c.unknownBecause).map((c) => c.cause);
  const notRun = run.diagnosing ? findDiagnoseStepsNotRun(run.playbook, run.steps) : [];
  for (const [stepId, step] of run.steps)
    if (
      step.status === 'skipped' &&
      step.reason === 'skipped at the prompt' &&
      !notRun.some((s) => s.stepId === stepId)
    )
      notRun.push({ stepId, status: step.status, reason: step.reason });
  const outcome = decideOutcome(run, ending, counts, remaining);
  // A run that could not look everywhere never says all is well.
  const incomplete = unknown.length > 0 && (outcome === 'ok' || outcome === 'changed');
  return { counts, fixed, remaining, unknown, notRun, outcome: incomplete ? 'problemsRemain' : outcome };
}

function decideOutcome(
  run: RunContext,
  ending: RunEnding,
  counts: RunCounts,
  remaining: string[],
): RunOutcome {
  if (ending.stop === 'interrupted') return 'cancelled';
  if (ending.rollback && ending.rollback !== 'rolledBack') return 'problemsRemain';
  if (counts.revertUnverified > 0 || counts.rollbackFailed > 0) return 'problemsRemain';
  // The server undid a change itself: that fix is not in place.
  if ([...run.steps.values()].some((s) => s.status === 'autoReverted')) return 'problemsRemain';
  // Its side was not (fully) inspected or fixed: whatever the client found, problems may remain.
  if (run.unreachable.size > 0) return 'unreachable';
  if (ending.rollback === 'rolledBack') return 'rolledBack';
  if (ending.stop || counts.failed > 0 || remaining.length > 0) return 'problemsRemain';
  if (run.mode.check && [...run.steps.values()].some((s) => s.reason?.startsWith('check mode')))
    return 'problemsRemain';
  return counts.changed > 0 ? 'changed' : 'ok';
}
