/** Starting and ending a step: one place that journals, emits, and updates the run's view. */
import type { Finding, StepStatus } from '../core/step-status.js';
import type { StepDoc } from '../playbook/schema.js';
import type { ScriptError, ScriptOutcome } from '../powershell/types.js';
import type { CheckImpact } from './events.js';
import type { RunContext } from './run-context.js';

/** Which pass over the steps a step belongs to. */
export type StepPhase = 'diagnose' | 'fix' | 'recheck';

/** How a step ended. */
export interface StepEnding {
  status: StepStatus;
  reason?: string;
  result?: unknown;
  findings?: Finding[];
  error?: ScriptError;
  impact?: CheckImpact;
}

/** Journals and announces that a step starts; returns its start time. */
export function startStep(run: RunContext, step: StepDoc, phase: StepPhase): number {
  run.journal.append({
    type: 'step-start',
    stepId: step.id,
    kind: step.kind,
    title: step.title,
    on: step.on,
    phase,
    ...(step.kind === 'fix' && step.fixes?.length ? { fixes: step.fixes } : {}),
  });
  run.emit({ type: 'step.start', stepId: step.id, title: step.title, kind: step.kind, phase });
  run.steps.set(step.id, { status: 'running', result: null });
  return performance.now();
}

/** Journals and announces how a step ended, and records it for expressions and the summary. */
export function endStep(
  run: RunContext,
  step: StepDoc,
  phase: StepPhase,
  startedAt: number,
  end: StepEnding,
): StepEnding {
  const durationMs = Math.round(performance.now() - startedAt);
  run.journal.append({
    type: 'step-end',
    stepId: step.id,
    kind: step.kind,
    phase,
    status: end.status,
    durationMs,
    ...optional(end),
  });
  run.emit({
    type: 'step.end',
    stepId: step.id,
    kind: step.kind,
    phase,
    status: end.status,
    durationMs,
    ...optional(end),
    ...(end.impact ? { impact: end.impact } : {}),
  });
  run.steps.set(step.id, {
    status: end.status,
    result: end.result ?? null,
    ...(end.findings ? { findings: end.findings } : {}),
    ...(end.reason ? { reason: end.reason } : {}),
  });
  return end;
}

/** Records a step that did not run (not selected, `when:` false, cause not detected, declined). */
export function skipStep(run: RunContext, step: StepDoc, phase: StepPhase, reason: string): StepEnding {
  return endStep(run, step, phase, startStep(run, step, phase), { status: 'skipped', reason });
}

/** The ending for a script that did not return normally. */
export function endingForOutcome(outcome: ScriptOutcome, what: string): StepEnding {
  const status = outcome.status === 'timedOut' ? 'timedOut' : 'failed';
  const reason =
    outcome.status === 'timedOut'
      ? `${what} ran past its timeout`
      : outcome.status === 'connectionLost'
        ? `${what}: the connection to the target was lost`
        : `${what} failed: ${outcome.error?.message ?? 'no error message'}`;
  return { status, reason, ...(outcome.error ? { error: outcome.error } : {}) };
}

function optional(end: StepEnding): Partial<Pick<StepEnding, 'reason' | 'result' | 'findings' | 'error'>> {
  return {
    ...(end.reason !== undefined ? { reason: end.reason } : {}),
    ...(end.result !== undefined ? { result: end.result } : {}),
    ...(end.findings ? { findings: end.findings } : {}),
    ...(end.error ? { error: end.error } : {}),
  };
}

/** Records a step that failed before its script could run (a bad expression). */
export function failStep(run: RunContext, step: StepDoc, phase: StepPhase, reason: string): StepEnding {
  return endStep(run, step, phase, startStep(run, step, phase), { status: 'failed', reason });
}
