/**
 * `psremedy rollback` of a run that died while a target held a revert task (`armed`, never
 * settled): asks the target what the task did before undoing anything. Task gone, result
 * `reverted` and a fresh test equal to the before-state is `autoReverted`, journaled and not undone
 * again; otherwise the verdict is reported (loudly) and the normal undo runs.
 */
import type { Change } from './run-context.js';
import { recordVerdict } from './server-revert.js';
import { judgeAutoRevert } from './server-revert-check.js';
import type { UndoEnv } from './undo-change.js';

/** How long rollback tries to reach a target that is still away. */
const REACH_MS = 30_000;

/** Settles every armed server revert of `changes`; marks those the server undid itself. */
export async function settleServerReverts(env: UndoEnv, runId: string, changes: Change[]): Promise<void> {
  const signal = new AbortController().signal;
  for (const change of changes) {
    if (change.serverRevert !== 'armed' || change.undone === 'rolledBack') continue;
    const verdict = await judgeAutoRevert(env.sessions, runId, change, Date.now() + REACH_MS, signal);
    recordVerdict(env, change.intent.stepId, change, verdict, 'command');
    // Not verified: leave it to the normal undo, which tests and compares again.
    if (verdict.outcome !== 'autoReverted') change.undone = undefined;
  }
}
