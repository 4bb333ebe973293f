/**
 * Reaching a target again after a change under a server-side revert, and judging what its revert
 * task did: task gone, its result `reverted`, and a fresh `test` equal to the before-state is
 * `autoReverted`; anything less is `revertUnverified`. Used in the run and by `psremedy rollback`.
 */
import type { ScriptOutcome } from '../powershell/types.js';
import { isSameState } from './compare-state.js';
import type { ServerRevertOutcome } from './journal-records.js';
import type { Change } from './run-context.js';
import { readTestResult } from './script-results.js';
import { disarmRevertTask, type RevertTaskReport } from './server-revert-scripts.js';
import type { SessionProvider } from './session-provider.js';

/** Pause between attempts to reach a target that is away (each attempt is bounded by the connect timeout). */
const RETRY_MS = 500;

/** Runs the change's `test` on the target until it answers or `until` (ms since epoch) passes. */
export async function reachAndTest(
  sessions: SessionProvider,
  change: Change,
  until: number,
  signal: AbortSignal,
): Promise<ScriptOutcome | undefined> {
  const { test } = change.intent;
  const request = {
    script: test.text,
    ...(test.modules ? { modules: test.modules } : {}),
    scriptPath: test.path,
    params: change.params,
    timeoutMs: change.intent.timeoutMs,
  };
  for (let fresh = false; ; fresh = true) {
    const session = fresh
      ? await sessions.reopen('target', { expectedOutage: true })
      : await sessions.get('target');
    const outcome = await session.run(request);
    if (outcome.status === 'ok' || outcome.status === 'failed') return outcome;
    const left = until - Date.now();
    if (left <= 0 || signal.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, left)));
  }
}

/** The verdict on a revert the target should have made by itself. */
export interface AutoRevertVerdict {
  outcome: Extract<ServerRevertOutcome, 'autoReverted' | 'revertUnverified'>;
  state?: unknown;
  note?: string;
}

/**
 * Reaches the target (until `until`), reads and clears its revert task, and compares a fresh test
 * with the before-state.
 */
export async function judgeAutoRevert(
  sessions: SessionProvider,
  runId: string,
  change: Change,
  until: number,
  signal: AbortSignal,
): Promise<AutoRevertVerdict> {
  const tested = await reachAndTest(sessions, change, until, signal);
  if (!tested) return { outcome: 'revertUnverified', note: 'the server did not answer again in time' };
  if (tested.status !== 'ok')
    return {
      outcome: 'revertUnverified',
      note: `test after the server's revert failed: ${tested.error?.message ?? 'no error message'}`,
    };
  const state = readTestResult(tested.result).state;
  const disarmed = await disarmRevertTask(sessions, runId, change.intent.stepId);
  const report = disarmed.status === 'ok' ? (disarmed.result as RevertTaskReport) : undefined;
  const matches = isSameState(state, change.intent.before);
  if (!report)
    return {
      outcome: 'revertUnverified',
      state,
      note: `could not read the revert task: ${disarmed.error?.message ?? disarmed.status}`,
    };
  if (report.taskFound)
    return {
      outcome: 'revertUnverified',
      state,
      note: 'the revert task had not run; psremedy removed it, and the change may still be in place',
    };
  if (report.result?.status !== 'reverted')
    return {
      outcome: 'revertUnverified',
      state,
      note: report.result
        ? `the server's undo failed: ${report.result.error ?? 'no error message'}`
        : 'the revert task is gone but left no result',
    };
  if (!matches)
    return {
      outcome: 'revertUnverified',
      state,
      note: "the server's undo ran but a fresh test does not match the before-state",
    };
  return { outcome: 'autoReverted', state };
}
