/** A diagnose step: run its script, read its findings. */
import { isKnownCause } from '../playbook/known-cause-ids.js';
import type { DiagnoseStepDoc } from '../playbook/schema.js';
import type { RunContext } from './run-context.js';
import { callStepScript, evaluateStepParams } from './script-call.js';
import { readFindings } from './script-results.js';
import {
  endingForOutcome,
  endStep,
  type StepEnding,
  type StepPhase,
  startStep,
  unreachableStep,
} from './step-record.js';

/** Runs a diagnose step and records its findings in the run. */
export async function runDiagnoseStep(
  run: RunContext,
  step: DiagnoseStepDoc,
  phase: StepPhase,
): Promise<StepEnding> {
  const unreachable = run.unreachable.get(step.on);
  if (unreachable) return unreachableStep(run, step, phase, unreachable);
  const startedAt = startStep(run, step, phase);
  let params: Record<string, unknown>;
  try {
    params = evaluateStepParams(run, step).values;
  } catch (error) {
    return endStep(run, step, phase, startedAt, { status: 'failed', reason: (error as Error).message });
  }
  // Ctrl+C while the step waited for its session: its script is not started (nor a session for it).
  if (run.signal.aborted)
    return endStep(run, step, phase, startedAt, { status: 'cancelled', reason: 'interrupted' });
  const outcome = await callStepScript(run, step, 'script', params);
  if (run.signal.aborted)
    return endStep(run, step, phase, startedAt, { status: 'cancelled', reason: 'interrupted' });
  if (outcome.status !== 'ok')
    return endStep(run, step, phase, startedAt, endingForOutcome(outcome, 'the script'));
  const { findings, problems } = readFindings(outcome.result);
  if (problems.length > 0)
    return endStep(run, step, phase, startedAt, {
      status: 'failed',
      reason: `the script returned malformed findings: ${problems.join('; ')}`,
      result: outcome.result,
    });
  const unknown = [
    ...new Set(findings.map((f) => f.cause).filter((c) => !isKnownCause(run.playbook.doc, c))),
  ];
  if (unknown.length > 0)
    return endStep(run, step, phase, startedAt, {
      status: 'failed',
      reason: `the script's findings name ${unknown.map((c) => `"${c}"`).join(', ')}, which the playbook does not declare (its causes: ${run.playbook.doc.causes.map((c) => c.id).join(', ') || 'none'}); fix the id in the script or declare the cause under causes:`,
      result: outcome.result,
    });
  run.findingsByStep.set(step.id, findings);
  return endStep(run, step, phase, startedAt, { status: 'ok', result: outcome.result, findings });
}
