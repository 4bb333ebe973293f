/** One diagnose step of the diagnose phase: its `when:`, its target's reachability, --step, then the step. */
import { evaluateCondition } from '../playbook/expressions.js';
import type { DiagnoseStepDoc } from '../playbook/schema.js';
import { decideStep } from './consent.js';
import { runDiagnoseStep } from './diagnose-step.js';
import type { RunContext } from './run-context.js';
import { failStep, skipStep, unreachableStep } from './step-record.js';

/** Runs a diagnose step unless its `when:` is false, its target is unreachable or the prompt says skip. */
export async function runDiagnoseWithChecks(
  run: RunContext,
  step: DiagnoseStepDoc,
): Promise<'aborted' | undefined> {
  if (step.when !== undefined) {
    try {
      if (!evaluateCondition(step.when, run.expressionContext())) {
        skipStep(run, step, 'diagnose', `when: ${step.when} is false`);
        return undefined;
      }
    } catch (error) {
      failStep(run, step, 'diagnose', (error as Error).message);
      return undefined;
    }
  }
  const unreachable = run.unreachable.get(step.on);
  if (unreachable) {
    unreachableStep(run, step, 'diagnose', unreachable);
    return undefined;
  }
  const asked = await decideStep(run, step);
  if (asked === 'abort') {
    skipStep(run, step, 'diagnose', 'aborted at the prompt');
    return 'aborted';
  }
  if (asked === 'skip') {
    skipStep(run, step, 'diagnose', 'skipped at the prompt');
    return undefined;
  }
  // A step's time is its script's: the session (opened early) is waited for before it starts.
  // A session that cannot be opened is reported by the step itself.
  await run.sessions.get(step.on).catch(() => undefined);
  await runDiagnoseStep(run, step, 'diagnose');
  return undefined;
}
