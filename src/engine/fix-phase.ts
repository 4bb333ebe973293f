/**
 * The fix phase: for each detected cause, strongest first, try its fix steps in playbook order
 * until a re-diagnosis says the cause is gone (the cause -> resolver -> verifier model). Fix steps
 * for causes not detected are skipped and say why; fix steps that name no cause (or all fix
 * steps, when this run diagnosed nothing) run in playbook order and their `test` decides.
 */
import { evaluateCondition } from '../playbook/expressions.js';
import type { DiagnoseStepDoc, FixStepDoc } from '../playbook/schema.js';
import { decideStep } from './consent.js';
import { runDiagnoseStep } from './diagnose-step.js';
import { type FixResult, runFixStep } from './fix-step.js';
import type { RankedCause } from './journal-records.js';
import { publishRanking } from './rank-run-causes.js';
import type { RunContext } from './run-context.js';
import { failStep, skipStep, unreachableStep } from './step-record.js';

/** How the fix phase ended. */
export interface FixPhaseResult {
  stop?: 'failed' | 'aborted';
  /** Detected causes a fix cleared (re-diagnosed as not detected). */
  cleared: Set<string>;
}

/** Runs the fix phase over the selected fix steps; `finished` steps (resume) are not run again. */
export async function runFixPhase(
  run: RunContext,
  selected: Set<string>,
  finished: Set<string>,
): Promise<FixPhaseResult> {
  const fixSteps = run.playbook.doc.steps.filter(
    (s): s is FixStepDoc => s.kind === 'fix' && selected.has(s.id),
  );
  const diagnosedAny = [...run.steps.values()].some((s) => s.status === 'ok' && s.findings !== undefined);
  const done = new Set(finished);
  const cleared = new Set<string>();
  const stopWith = (r: FixResult): FixPhaseResult | undefined =>
    r.aborted
      ? { stop: 'aborted', cleared }
      : r.failed && !run.mode.check
        ? { stop: 'failed', cleared }
        : undefined;

  for (const cause of run.ranked.filter((c) => c.detected)) {
    if (run.signal.aborted) return { stop: 'aborted', cleared };
    const forCause = fixSteps.filter((s) => s.fixes.includes(cause.cause));
    if (!run.mode.check && forCause.some((s) => run.steps.get(s.id)?.status === 'changed')) {
      if (await recheckCause(run, cause.cause, 'an earlier fix')) {
        cleared.add(cause.cause);
        continue;
      }
    }
    for (const step of forCause.filter((s) => !done.has(s.id))) {
      done.add(step.id);
      const result = await runOneFix(run, step, causesOf(run, step));
      const stop = stopWith(result);
      if (stop) return stop;
      // "Already compliant" after another fix changed the host: that fix may have cleared this cause too.
      const recheck =
        result.ending.status === 'changed' || (result.ending.status === 'ok' && run.changes.length > 0);
      if (recheck && (await recheckCause(run, cause.cause, step.id))) {
        cleared.add(cause.cause);
        break;
      }
    }
  }

  for (const step of fixSteps.filter((s) => !done.has(s.id))) {
    if (run.signal.aborted) return { stop: 'aborted', cleared };
    done.add(step.id);
    const causeUnknown = step.fixes.some((id) => run.ranked.some((c) => c.cause === id && c.unknownBecause));
    if (step.fixes.length > 0 && (diagnosedAny || causeUnknown)) {
      skipStep(run, step, 'fix', describeUndetected(run.ranked, step.fixes));
      continue;
    }
    const stop = stopWith(await runOneFix(run, step, causesOf(run, step)));
    if (stop) return stop;
  }
  return { cleared };
}

async function runOneFix(run: RunContext, step: FixStepDoc, causes: RankedCause[]): Promise<FixResult> {
  if (step.when !== undefined) {
    let go: boolean;
    try {
      go = evaluateCondition(step.when, run.expressionContext());
    } catch (error) {
      return { ending: failStep(run, step, 'fix', (error as Error).message), failed: true };
    }
    if (!go) return { ending: skipStep(run, step, 'fix', `when: ${step.when} is false`) };
  }
  const unreachable = run.unreachable.get(step.on);
  if (unreachable) return { ending: unreachableStep(run, step, 'fix', unreachable) };
  const asked = await decideStep(run, step);
  if (asked === 'abort')
    return { ending: skipStep(run, step, 'fix', 'aborted at the prompt'), aborted: true };
  if (asked === 'skip') return { ending: skipStep(run, step, 'fix', 'skipped at the prompt') };
  return runFixStep(run, step, causes);
}

/** Runs the diagnose steps that reported a cause again; true when it is no longer detected. */
export async function recheckCause(run: RunContext, cause: string, fixedBy: string): Promise<boolean> {
  const reporters = run.playbook.doc.steps.filter(
    (s): s is DiagnoseStepDoc =>
      s.kind === 'diagnose' &&
      (run.findingsByStep.get(s.id) ?? []).some((f) => f.cause === cause && f.confidence > 0),
  );
  let failed = false;
  for (const step of reporters) {
    const ending = await runDiagnoseStep(run, step, 'recheck');
    if (ending.status !== 'ok') failed = true;
  }
  publishRanking(run);
  const cleared = !failed && !run.ranked.some((c) => c.cause === cause && c.detected);
  run.emit({ type: 'cause.recheck', cause, fixedBy, cleared });
  return cleared;
}

function causesOf(run: RunContext, step: FixStepDoc): RankedCause[] {
  return run.ranked.filter((c) => c.detected && step.fixes.includes(c.cause));
}

function describeUndetected(ranked: RankedCause[], fixes: string[]): string {
  const unknown = fixes.flatMap((id) => {
    const because = ranked.find((c) => c.cause === id)?.unknownBecause;
    return because ? [`${id} (steps not run: ${because.join(', ')})`] : [];
  });
  if (unknown.length > 0) return `cause unknown: ${unknown.join(', ')}`;
  const parts = fixes.map((id) => {
    const r = ranked.find((c) => c.cause === id);
    return r ? `${id} (confidence ${r.confidence})` : `${id} (no finding)`;
  });
  return `cause not detected: ${parts.join(', ')}`;
}
