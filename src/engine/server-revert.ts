/**
 * `revertUnlessConfirmed` on a remote target, kept by the target itself: before apply the target
 * gets a one-shot scheduled task that runs the undo at the deadline (and at startup past it);
 * after apply psremedy reconnects and tests, and only then removes the task (`confirmed`). If the
 * target does not answer before the deadline, it reverts itself; psremedy waits (bounded),
 * reconnects and checks the before-state (`autoReverted`, or loudly `revertUnverified`).
 */
import { parseDuration } from '../playbook/duration.js';
import type { FixStepDoc } from '../playbook/schema.js';
import { decideKeep } from './consent.js';
import type { Change, RunContext } from './run-context.js';
import { readTestResult } from './script-results.js';
import { type AutoRevertVerdict, judgeAutoRevert, reachAndTest } from './server-revert-check.js';
import {
  type ArmedRevert,
  armRevertTask,
  disarmRevertTask,
  type RevertTaskReport,
} from './server-revert-scripts.js';
import type { StepEnding } from './step-record.js';
import { UNDO_BEFORE_PARAM, undoChange } from './undo-change.js';

/** psremedy stops testing this long before the target's deadline, so it never races the task. */
const DEADLINE_MARGIN_MS = 1000;

/** After the deadline, psremedy waits this long at least (or the duration, if longer) for the target. */
const MIN_GRACE_MS = 20_000;

/** An armed revert: what the target holds and when (on this machine's clock) it fires. */
export interface ServerRevertWatch {
  armed: ArmedRevert;
  deadlineAt: number;
  durationMs: number;
}

/** True when this fix's revert is kept by the target itself (a remote target, an undo to run). */
export function revertsOnServer(run: RunContext, step: FixStepDoc): boolean {
  return (
    step.revertUnlessConfirmed !== undefined &&
    step.on === 'target' &&
    run.remoteTarget &&
    typeof step.undo === 'string'
  );
}

/** Arms the target's revert task for a journaled intent; journals `armed` (fsync) before apply. */
export async function armServerRevert(
  run: RunContext,
  step: FixStepDoc & { revertUnlessConfirmed: string | number },
  change: Change,
): Promise<ServerRevertWatch | { failure: string }> {
  const durationMs = parseDuration(step.revertUnlessConfirmed);
  const seconds = Math.max(1, Math.ceil(durationMs / 1000));
  // The target counts from when the script ran, somewhere after this: the earliest it can fire.
  const calledAt = Date.now();
  const outcome = await armRevertTask(
    run.sessions,
    run.runId,
    change.intent,
    change.params,
    seconds,
    UNDO_BEFORE_PARAM,
  );
  if (outcome.status !== 'ok')
    return {
      failure: `could not arm the server-side revert, so nothing was applied: ${outcome.error?.message ?? outcome.status}`,
    };
  const armed = outcome.result as ArmedRevert;
  run.journal.append({
    type: 'server-revert',
    stepId: step.id,
    outcome: 'armed',
    taskPath: armed.taskPath,
    taskName: armed.taskName,
    folder: armed.folder,
    deadline: armed.deadlineUtc,
  });
  run.emit({ type: 'step.serverRevert', stepId: step.id, outcome: 'armed', deadline: armed.deadlineUtc });
  return { armed, deadlineAt: calledAt + seconds * 1000, durationMs };
}

/** After apply: reach and test the target, ask (interactive), then confirm, undo, or judge its own revert. */
export async function settleServerRevert(
  run: RunContext,
  step: FixStepDoc & { revertUnlessConfirmed: string | number },
  change: Change,
  watch: ServerRevertWatch,
): Promise<{ ending: StepEnding; failed?: boolean }> {
  const tested = await reachAndTest(run.sessions, change, watch.deadlineAt - DEADLINE_MARGIN_MS, run.signal);
  if (tested?.status === 'ok') {
    const after = readTestResult(tested.result);
    run.journal.append({ type: 'verify', stepId: step.id, compliant: after.compliant, state: after.state });
    if (after.compliant !== true) {
      // Not compliant: the apply did not work, or the server has already reverted it.
      const looked = await disarmRevertTask(run.sessions, run.runId, step.id, true);
      if (!(looked.status === 'ok' && (looked.result as RevertTaskReport).ran)) {
        await disarmRevertTask(run.sessions, run.runId, step.id);
        return {
          ending: {
            status: 'failed',
            reason: 'verify: still not compliant after apply',
            result: after.state,
          },
          failed: true,
        };
      }
      return judgeAndEnd(run, step.id, change, watch);
    }
    const remainingMs = watch.deadlineAt - DEADLINE_MARGIN_MS - Date.now();
    const keep = await decideKeep(
      run,
      { ...step, revertUnlessConfirmed: `${Math.max(1, remainingMs)}ms` },
      change.intent.before,
      after.state,
      true,
    );
    const decision = keep.answer ? 'keep' : 'revert';
    run.journal.append({ type: 'decision', stepId: step.id, decision, by: keep.by });
    run.emit({ type: 'prompt.answered', stepId: step.id, question: 'keep', answer: decision, by: keep.by });
    const disarmed = await disarmRevertTask(run.sessions, run.runId, step.id);
    const report = disarmed.status === 'ok' ? (disarmed.result as RevertTaskReport) : undefined;
    if (report && !report.ran) {
      if (!keep.answer) {
        const status = await undoChange(run, change);
        return {
          ending: {
            status,
            reason: keep.by === 'timeout' ? 'not confirmed in time: reverted' : 'reverted on request',
          },
        };
      }
      run.journal.append({ type: 'server-revert', stepId: step.id, outcome: 'confirmed', by: 'run' });
      run.emit({ type: 'step.serverRevert', stepId: step.id, outcome: 'confirmed' });
      return {
        ending: {
          status: change.applied?.changed === false ? 'ok' : 'changed',
          reason: "confirmed: the server's revert task is removed",
          result: after.state,
        },
      };
    }
    // The task fired first (or the target went away again): judge what the server did.
  }
  run.emit({ type: 'step.progress', stepId: step.id, activity: 'waitingForServerRevert' });
  return judgeAndEnd(run, step.id, change, watch);
}

async function judgeAndEnd(
  run: RunContext,
  stepId: string,
  change: Change,
  watch: ServerRevertWatch,
): Promise<{ ending: StepEnding }> {
  const until = watch.deadlineAt + Math.max(MIN_GRACE_MS, watch.durationMs);
  const verdict = await judgeAutoRevert(run.sessions, run.runId, change, until, run.signal);
  recordVerdict(run, stepId, change, verdict);
  return {
    ending:
      verdict.outcome === 'autoReverted'
        ? { status: 'autoReverted', reason: 'not confirmed in time: the server reverted the change itself' }
        : { status: 'revertUnverified', reason: verdict.note ?? 'the server revert could not be verified' },
  };
}

/** Journals and announces the verdict on a server's own revert, and marks the change undone. */
export function recordVerdict(
  env: Pick<RunContext, 'journal' | 'emit'>,
  stepId: string,
  change: Change,
  verdict: AutoRevertVerdict,
  by: 'run' | 'command' = 'run',
): void {
  env.journal.append({
    type: 'server-revert',
    stepId,
    outcome: verdict.outcome,
    by,
    ...(verdict.state !== undefined ? { state: verdict.state } : {}),
    ...(verdict.note ? { note: verdict.note } : {}),
  });
  env.emit({
    type: 'step.serverRevert',
    stepId,
    outcome: verdict.outcome,
    ...(verdict.note ? { note: verdict.note } : {}),
    ...(verdict.outcome === 'revertUnverified'
      ? { state: verdict.state ?? null, before: change.intent.before }
      : {}),
  });
  change.undone = verdict.outcome === 'autoReverted' ? 'rolledBack' : 'revertUnverified';
}
