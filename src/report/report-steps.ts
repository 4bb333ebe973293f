import type { JournalRecord } from '../engine/journal-records.js';
import type { ReportChange, ReportStep } from './report-model.js';

/** Every step run, in order (a diagnose step re-checked after a fix appears twice). */
export function buildSteps(records: JournalRecord[]): ReportStep[] {
  const steps: ReportStep[] = [];
  const open = new Map<string, ReportStep>();
  for (const r of records) {
    if (r.type === 'step-start') {
      const step: ReportStep = {
        stepId: r.stepId,
        title: r.title,
        kind: r.kind,
        on: r.on,
        phase: r.phase,
        status: 'unfinished',
        startedAt: r.at,
        ...(r.fixes ? { fixes: r.fixes } : {}),
      };
      steps.push(step);
      open.set(r.stepId, step);
    } else if (r.type === 'decision') {
      const step = open.get(r.stepId);
      if (step) step.decision = { decision: r.decision, by: r.by };
    } else if (r.type === 'step-end') {
      const step = open.get(r.stepId) ?? synthesizeStep(steps, r);
      Object.assign(step, {
        status: r.status,
        endedAt: r.at,
        durationMs: r.durationMs,
        reason: r.reason,
        result: r.result,
        findings: r.findings,
        error: r.error,
      });
      open.delete(r.stepId);
    }
  }
  return steps;
}

/** A step-end without a step-start (a step skipped before it began) still gets a row. */
function synthesizeStep(steps: ReportStep[], r: Extract<JournalRecord, { type: 'step-end' }>): ReportStep {
  const step: ReportStep = {
    stepId: r.stepId,
    title: r.stepId,
    kind: r.kind,
    on: 'target',
    phase: r.phase,
    status: r.status,
    startedAt: r.at,
  };
  steps.push(step);
  return step;
}

/** Every change a fix step set out to make (an intent), and what became of it. */
export function buildChanges(records: JournalRecord[]): ReportChange[] {
  const changes: ReportChange[] = [];
  const byStep = new Map<string, ReportChange>();
  for (const r of records) {
    if (r.type === 'intent') {
      const change: ReportChange = {
        stepId: r.stepId,
        title: r.title,
        risk: r.risk,
        fixes: r.fixes,
        before: r.before,
        verified: null,
        status: 'intentOnly',
      };
      changes.push(change);
      byStep.set(r.stepId, change);
      continue;
    }
    if (!('stepId' in r)) continue;
    const change = byStep.get(r.stepId);
    if (!change) continue;
    if (r.type === 'applied') Object.assign(change, { before: r.before, after: r.after, status: 'kept' });
    else if (r.type === 'apply-failed') change.status = 'applyFailed';
    else if (r.type === 'verify') change.verified = r.compliant;
    else if (r.type === 'undo-end') Object.assign(change, { status: r.status, undoNote: r.note });
    else if (r.type === 'server-revert') {
      change.serverRevert = r.outcome;
      if (r.outcome === 'autoReverted' || r.outcome === 'revertUnverified')
        Object.assign(change, { status: r.outcome, ...(r.note ? { undoNote: r.note } : {}) });
    }
  }
  return changes;
}
