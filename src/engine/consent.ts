/** Who decides whether a fix is applied (or kept): a policy, --yes, or a person through the Decider. */

import { parseDuration } from '../playbook/duration.js';
import type { FixStepDoc, StepDoc } from '../playbook/schema.js';
import type { FixDecision, FixPreview, StepDecision } from './decider.js';
import type { RunContext } from './run-context.js';
import { checkPolicy } from './run-policy.js';

/** A decision and who made it. */
export interface Decided<T> {
  answer: T;
  by: 'prompt' | 'yes' | 'policy' | 'timeout' | 'verify';
  reason?: string;
}

/** Decides a fix: the policy first, then --yes, then a prompt showing the preview. */
export async function decideFix(
  run: RunContext,
  step: FixStepDoc,
  buildPreview: () => Promise<FixPreview>,
): Promise<Decided<FixDecision>> {
  if (run.policy) {
    const refusal = checkPolicy(run.policy, step);
    return refusal ? { answer: 'skip', by: 'policy', reason: refusal } : { answer: 'apply', by: 'policy' };
  }
  if (run.mode.yes) return { answer: 'apply', by: 'yes' };
  if (!run.mode.interactive) return { answer: 'skip', by: 'policy', reason: 'needs consent: run with --yes' };
  run.emit({ type: 'step.progress', stepId: step.id, activity: 'previewing' });
  const preview = await buildPreview();
  run.emit({ type: 'step.progress', stepId: step.id, activity: 'waitingForConsent' });
  const answer = await askSafely(() => run.decider.decideFix(preview, run.signal), 'abort' as const);
  return { answer, by: 'prompt', ...(answer === 'skip' ? { reason: 'declined' } : {}) };
}

/** Decides whether to keep a `revertUnlessConfirmed` change; silence until the deadline reverts it. */
export async function decideKeep(
  run: RunContext,
  step: FixStepDoc & { revertUnlessConfirmed: string | number },
  before: unknown,
  after: unknown,
  onServer = false,
): Promise<Decided<boolean>> {
  if (run.policy || run.mode.yes || !run.mode.interactive) return { answer: true, by: 'verify' };
  const timeoutMs = parseDuration(step.revertUnlessConfirmed);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([run.signal, deadline]);
  try {
    const question = { step, before, after, timeoutMs, ...(onServer ? { onServer } : {}) };
    const keep = await run.decider.decideKeep(question, signal);
    return { answer: keep, by: 'prompt' };
  } catch {
    return { answer: false, by: deadline.aborted ? 'timeout' : 'prompt' };
  }
}

/** Decides a step under --step (run / skip / continue without asking / abort). */
export async function decideStep(run: RunContext, step: StepDoc): Promise<StepDecision> {
  if (!run.mode.step || run.stopAskingSteps) return 'run';
  const answer = await askSafely(() => run.decider.decideStep(step, run.signal), 'abort' as const);
  if (answer === 'continue') run.stopAskingSteps = true;
  return answer;
}

// A prompt closed by Ctrl+C or a closed stdin rejects; both mean "stop", never "go ahead".
async function askSafely<T>(ask: () => Promise<T>, onClose: T): Promise<T> {
  try {
    return await ask();
  } catch {
    return onClose;
  }
}
