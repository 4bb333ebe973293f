/**
 * A fix step's lifecycle: test (compliant: nothing to do) -> preview and consent -> journal the
 * intent (fsync) -> apply -> journal what it did -> test again (verify) -> keep or revert.
 */
import type { FixStepDoc } from '../playbook/schema.js';
import type { ScriptOutcome } from '../powershell/types.js';
import { evaluateConfirmText } from './confirm-text.js';
import { decideFix, decideKeep } from './consent.js';
import type { FixPreview } from './decider.js';
import type { CheckImpact } from './events.js';
import type { AppliedRecord, IntentRecord, RankedCause } from './journal-records.js';
import type { Change, RunContext } from './run-context.js';
import { callStepScript, evaluateStepParams, type StepParams, stepTimeoutMs } from './script-call.js';
import { readApplyResult, readTestResult, type TestResult } from './script-results.js';
import { armServerRevert, revertsOnServer, settleServerRevert } from './server-revert.js';
import { endingForOutcome, endStep, type StepEnding, startStep } from './step-record.js';
import { undoChange } from './undo-change.js';

/** How a fix step ended, and whether the run must stop (and roll back). */
export interface FixResult {
  ending: StepEnding;
  /** The step failed or timed out: the run rolls back. */
  failed?: boolean;
  /** The admin chose "abort and roll back", or Ctrl+C. */
  aborted?: boolean;
}

/** Runs one fix step for the given (detected) causes. */
export async function runFixStep(
  run: RunContext,
  step: FixStepDoc,
  causes: RankedCause[],
): Promise<FixResult> {
  const startedAt = startStep(run, step, 'fix');
  const end = (ending: StepEnding, flags: Omit<FixResult, 'ending'> = {}): FixResult => ({
    ending: endStep(run, step, 'fix', startedAt, ending),
    ...flags,
  });
  const cancelled = (): FixResult => end({ status: 'cancelled', reason: 'interrupted' }, { aborted: true });

  let params: StepParams;
  try {
    params = evaluateStepParams(run, step);
  } catch (error) {
    return end({ status: 'failed', reason: (error as Error).message }, { failed: true });
  }

  run.emit({ type: 'step.progress', stepId: step.id, activity: 'testing' });
  const tested = await callStepScript(run, step, 'test', params.values);
  if (run.signal.aborted) return cancelled();
  // Nothing has changed yet: an unreachable target skips the fix without stopping the run.
  if (tested.status === 'unreachable') return end(endingForOutcome(tested, 'test'));
  if (tested.status !== 'ok') {
    if (run.mode.check)
      return end({ ...endingForOutcome(tested, 'test'), impact: 'unknown' }, { failed: true });
    return end(endingForOutcome(tested, 'test'), { failed: true });
  }
  const test = readTestResult(tested.result);
  run.journal.append({ type: 'test', stepId: step.id, compliant: test.compliant, state: test.state });

  if (run.mode.check) return end(await concludeCheck(run, step, params, test));
  if (test.compliant === null)
    return end(
      { status: 'failed', reason: 'test did not return compliant: $true or $false', result: tested.result },
      { failed: true },
    );
  if (test.compliant) return end({ status: 'ok', reason: 'already compliant' });
  // The fix cannot help here (e.g. Group Policy decides): say why before asking anything.
  if (test.cannotFix !== null) return end({ status: 'skipped', reason: test.cannotFix, result: test.state });

  const decided = await decideFix(run, step, () => buildPreview(run, step, params, causes, test));
  run.journal.append({ type: 'decision', stepId: step.id, decision: decided.answer, by: decided.by });
  run.emit({
    type: 'prompt.answered',
    stepId: step.id,
    question: 'fix',
    answer: decided.answer,
    by: decided.by,
  });
  if (run.signal.aborted) return cancelled();
  if (decided.answer === 'skip') return end({ status: 'skipped', reason: decided.reason ?? 'declined' });
  if (decided.answer === 'abort')
    return end({ status: 'cancelled', reason: 'aborted at the prompt' }, { aborted: true });

  const change = recordIntent(run, step, params, test);
  const watch = revertsOnServer(run, step) ? await armServerRevert(run, withRevert(step), change) : undefined;
  if (watch && 'failure' in watch) return end({ status: 'failed', reason: watch.failure }, { failed: true });
  run.emit({ type: 'step.progress', stepId: step.id, activity: 'applying' });
  let applied = await callStepScript(run, step, 'apply', params.values, { intent: change.intent });
  const expectsDisconnect = step.risk === 'disruptive' || step.revertUnlessConfirmed !== undefined;
  // The server holds the revert: a cut connection (or, over WinRM, a timeout) leaves it to settle.
  if (watch && (applied.status === 'connectionLost' || applied.status === 'timedOut') && !run.signal.aborted)
    applied = { ...applied, status: 'ok', result: { changed: true, before: test.state, after: null } };
  else if (applied.status === 'connectionLost' && expectsDisconnect && !run.signal.aborted) {
    run.emit({ type: 'step.progress', stepId: step.id, activity: 'reconnecting' });
    await run.sessions.reopen(step.on);
    applied = { ...applied, status: 'ok', result: { changed: true, before: test.state, after: null } };
  }
  if (applied.status !== 'ok') {
    run.journal.append({
      type: 'apply-failed',
      stepId: step.id,
      status: applied.status,
      ...(applied.error ? { error: applied.error } : {}),
    });
    if (run.signal.aborted) return cancelled();
    return end(endingForOutcome(applied, 'apply'), { failed: true });
  }
  const result = readApplyResult(applied.result);
  change.applied = run.journal.append({
    type: 'applied',
    stepId: step.id,
    changed: result.changed,
    before: result.before,
    after: result.after,
    durationMs: Math.round(applied.durationMs),
  }) as AppliedRecord;
  if (run.mode.diff)
    run.emit({ type: 'step.diff', stepId: step.id, before: result.before, after: result.after });
  if (run.signal.aborted) return cancelled();
  if (watch) {
    run.emit({ type: 'step.progress', stepId: step.id, activity: 'verifying' });
    const settled = await settleServerRevert(run, withRevert(step), change, watch);
    return end(settled.ending, settled.failed ? { failed: true } : {});
  }

  run.emit({ type: 'step.progress', stepId: step.id, activity: 'verifying' });
  const verified = await verify(run, step, params);
  if (run.signal.aborted) return cancelled();
  if (verified.status !== 'ok') return end(endingForOutcome(verified, 'verify'), { failed: true });
  const after = readTestResult(verified.result);
  run.journal.append({ type: 'verify', stepId: step.id, compliant: after.compliant, state: after.state });
  if (after.compliant !== true)
    return end(
      { status: 'failed', reason: 'verify: still not compliant after apply', result: after.state },
      { failed: true },
    );

  if (step.revertUnlessConfirmed !== undefined) {
    const keep = await decideKeep(
      run,
      { ...step, revertUnlessConfirmed: step.revertUnlessConfirmed },
      result.before,
      result.after,
    );
    run.journal.append({
      type: 'decision',
      stepId: step.id,
      decision: keep.answer ? 'keep' : 'revert',
      by: keep.by,
    });
    run.emit({
      type: 'prompt.answered',
      stepId: step.id,
      question: 'keep',
      answer: keep.answer ? 'keep' : 'revert',
      by: keep.by,
    });
    if (!keep.answer) {
      const status = await undoChange(run, change);
      return end({
        status,
        reason: keep.by === 'timeout' ? 'not confirmed in time: reverted' : 'reverted on request',
      });
    }
  }
  return end({ status: result.changed ? 'changed' : 'ok', result: result.after });
}

async function concludeCheck(
  run: RunContext,
  step: FixStepDoc,
  params: StepParams,
  test: TestResult,
): Promise<StepEnding> {
  const impact: CheckImpact =
    test.compliant === true ? 'compliant' : test.compliant === false ? 'wouldChange' : 'unknown';
  let noPreview = '';
  if (run.mode.diff && impact !== 'compliant') {
    const preview = await previewApply(run, step, params);
    run.emit({
      type: 'step.diff',
      stepId: step.id,
      before: test.state,
      whatIf: preview.whatIf,
      ...(preview.noPreview ? { noPreview: preview.noPreview } : {}),
    });
    if (preview.noPreview) noPreview = ` (no preview available: ${preview.noPreview})`;
  }
  if (impact === 'compliant') return { status: 'ok', reason: 'compliant', impact };
  if (impact === 'wouldChange')
    return { status: 'skipped', reason: `check mode: would change${noPreview}`, impact, result: test.state };
  return {
    status: 'skipped',
    reason: 'check mode: unknown impact (test did not say compliant or not)',
    impact,
  };
}

async function buildPreview(
  run: RunContext,
  step: FixStepDoc,
  params: StepParams,
  causes: RankedCause[],
  test: TestResult,
): Promise<FixPreview> {
  const confirm = evaluateConfirmText(run, step);
  const shown = confirm === undefined ? step : { ...step, confirm };
  return {
    step: shown,
    causes,
    state: test.state,
    summary: test.summary,
    ...(await previewApply(run, step, params)),
  };
}

async function previewApply(
  run: RunContext,
  step: FixStepDoc,
  params: StepParams,
): Promise<Pick<FixPreview, 'whatIf' | 'whatIfResult' | 'whatIfError' | 'noPreview'>> {
  const outcome = await callStepScript(run, step, 'apply', params.values, { whatIf: true });
  if (outcome.noPreview)
    return {
      whatIf: [],
      noPreview: `${run.playbook.scriptPath(step, 'apply')} does not declare [CmdletBinding(SupportsShouldProcess)], so -WhatIf could not preview it; it was not run`,
    };
  // The session reports what PowerShell printed to its host under -WhatIf ("What if: ...").
  const hostLines = (outcome as ScriptOutcome & { whatIf?: string[] }).whatIf ?? [];
  const whatIf = [...hostLines, ...outcome.information].map((l) => l.trim()).filter((l) => l !== '');
  if (outcome.status !== 'ok')
    return { whatIf, whatIfError: endingForOutcome(outcome, '-WhatIf').reason ?? 'failed' };
  return {
    whatIf,
    ...(outcome.result !== null && outcome.result !== undefined ? { whatIfResult: outcome.result } : {}),
  };
}

function withRevert(step: FixStepDoc): FixStepDoc & { revertUnlessConfirmed: string | number } {
  return { ...step, revertUnlessConfirmed: step.revertUnlessConfirmed ?? 0 };
}

function recordIntent(run: RunContext, step: FixStepDoc, params: StepParams, test: TestResult): Change {
  const script = (role: 'test' | 'undo') => {
    const path = run.playbook.scriptPath(step, role);
    const loaded = run.playbook.scripts.get(path);
    if (!loaded) throw new Error(`script ${path} of step ${step.id} was not loaded with the playbook`);
    return {
      path,
      sha256: loaded.sha256,
      text: loaded.text,
      ...(loaded.modules ? { modules: loaded.modules } : {}),
    };
  };
  const applyPath = run.playbook.scriptPath(step, 'apply');
  const intent = run.journal.append({
    type: 'intent',
    stepId: step.id,
    title: step.title,
    on: step.on,
    risk: step.risk,
    fixes: step.fixes,
    params: params.journaled,
    before: test.state,
    test: script('test'),
    apply: { path: applyPath, sha256: run.playbook.scripts.get(applyPath)?.sha256 ?? '' },
    undo: typeof step.undo === 'string' ? script('undo') : { none: step.undo.none },
    timeoutMs: stepTimeoutMs(run, step),
  }) as IntentRecord;
  const change: Change = { intent, params: params.values };
  run.changes.push(change);
  return change;
}

// A disruptive change may drop the session right after apply: reopen once and test again.
async function verify(run: RunContext, step: FixStepDoc, params: StepParams): Promise<ScriptOutcome> {
  const outcome = await callStepScript(run, step, 'test', params.values);
  if (outcome.status !== 'connectionLost' || run.signal.aborted) return outcome;
  run.emit({ type: 'step.progress', stepId: step.id, activity: 'reconnecting' });
  await run.sessions.reopen(step.on);
  return callStepScript(run, step, 'test', params.values);
}
