/**
 * Which diagnose steps a cause's evidence depends on, so that a cause whose evidence is missing is
 * "unknown" rather than detected or ruled out. A cause depends on:
 * - the diagnose steps that can report it: the step's script names the cause id as a quoted
 *   string (`'port-unreachable'`), or the step reported it in this run; when no step is known to
 *   report it, every diagnose step;
 * - and every step those steps need (`needs:`, or read through `with:`/`when:`, `steps.dns.result`),
 *   transitively: a verdict computed from a step that did not run is built on a guess.
 * A cause that steps resting on no missing step detect on their own evidence stays detected: the
 * client's handshake reading an expired certificate is proof, whether or not the server was seen.
 * A diagnose step did not run when it was not selected, was skipped (other than by its own
 * `when:`), failed, timed out, lost its connection or was cancelled.
 */
import type { DiagnoseStepDoc } from '../playbook/schema.js';
import { findDiagnoseNeeds } from '../playbook/step-needs.js';
import type { EnginePlaybook } from './engine-playbook.js';
import type { StepRecordInRun } from './run-context.js';

/** A diagnose step whose evidence is missing, and why. */
export interface StepNotRun {
  stepId: string;
  /** Its status, or `notRun` when it never started (not selected, or the run stopped first). */
  status: string;
  reason?: string;
}

/** The diagnose steps that did not run, in playbook order. */
export function findDiagnoseStepsNotRun(
  playbook: EnginePlaybook,
  steps: ReadonlyMap<string, StepRecordInRun>,
): StepNotRun[] {
  const notRun: StepNotRun[] = [];
  for (const step of diagnoseSteps(playbook)) {
    const record = steps.get(step.id);
    if (!record) notRun.push({ stepId: step.id, status: 'notRun' });
    else if (record.status === 'ok') continue;
    else if (record.status === 'skipped' && record.reason?.startsWith('when:')) continue;
    else
      notRun.push({
        stepId: step.id,
        status: record.status,
        ...(record.reason ? { reason: record.reason } : {}),
      });
  }
  return notRun;
}

/**
 * For each cause whose evidence depends on a step that did not run, those steps (in playbook
 * order). `reportedBy` adds the steps that reported a cause in this run.
 */
export function findUnknownCauses(
  playbook: EnginePlaybook,
  notRun: StepNotRun[],
  reportedBy: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, string[]> {
  const missing = new Set(notRun.map((s) => s.stepId));
  const order = diagnoseSteps(playbook).map((s) => s.id);
  const missingBehind = findMissingInputs(playbook, missing);
  const unknown = new Map<string, string[]>();
  for (const cause of playbook.doc.causes) {
    const named = new Set([...reportersOf(playbook, cause.id), ...(reportedBy.get(cause.id) ?? [])]);
    // Nothing says which step reports it: it may be any of them.
    const reporters = named.size > 0 ? named : new Set(order);
    const behind = new Set([...reporters].flatMap((id) => [...(missingBehind.get(id) ?? [])]));
    if (behind.size > 0)
      unknown.set(
        cause.id,
        order.filter((id) => behind.has(id)),
      );
  }
  return unknown;
}

/** Diagnose steps whose findings rest on a step that did not run (they are it, or read it, transitively). */
export function findStepsOnMissingEvidence(playbook: EnginePlaybook, notRun: StepNotRun[]): Set<string> {
  const behind = findMissingInputs(playbook, new Set(notRun.map((s) => s.stepId)));
  return new Set([...behind].filter(([, missing]) => missing.size > 0).map(([id]) => id));
}

/** Steps that can report a cause: their script names its id as a quoted string. */
function reportersOf(playbook: EnginePlaybook, cause: string): string[] {
  const named = new RegExp(`(['"])${cause.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);
  return diagnoseSteps(playbook)
    .filter((step) => named.test(playbook.scripts.get(playbook.scriptPath(step, 'script'))?.text ?? ''))
    .map((step) => step.id);
}

/** For each diagnose step, the missing steps it is (or needs, transitively: `needs:` or reads). */
function findMissingInputs(playbook: EnginePlaybook, missing: ReadonlySet<string>): Map<string, Set<string>> {
  const needs = findDiagnoseNeeds(playbook.doc);
  const behind = new Map<string, Set<string>>();
  // Needs may name later steps; the loader refused circles.
  const resolve = (id: string): Set<string> => {
    const known = behind.get(id);
    if (known) return known;
    const found = new Set<string>(missing.has(id) ? [id] : []);
    behind.set(id, found);
    for (const need of needs.get(id) ?? []) for (const m of resolve(need)) found.add(m);
    return found;
  };
  for (const step of diagnoseSteps(playbook)) resolve(step.id);
  return behind;
}

function diagnoseSteps(playbook: EnginePlaybook): DiagnoseStepDoc[] {
  return playbook.doc.steps.filter((s): s is DiagnoseStepDoc => s.kind === 'diagnose');
}
