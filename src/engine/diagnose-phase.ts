/**
 * The diagnose phase: every selected diagnose step, each started as soon as the steps it needs
 * have ended. Client and target steps run at the same time; each session runs one step at a
 * time (a local target shares the client's session). Under --step (or `sequential`) they run one by one in playbook order.
 */
import type { DiagnoseStepDoc } from '../playbook/schema.js';
import { findDiagnoseNeeds } from '../playbook/step-needs.js';
import { runDiagnoseWithChecks } from './diagnose-checks.js';
import type { RunContext } from './run-context.js';

/** Why the diagnose phase stopped early: the prompt said abort, or Ctrl+C left steps unstarted. */
export type DiagnoseStop = 'aborted' | 'interrupted';

/** Runs the diagnose steps not yet finished; a failing step does not stop the steps that do not need it. */
export async function runDiagnosePhase(
  run: RunContext,
  selected: ReadonlySet<string>,
  finished: ReadonlySet<string>,
): Promise<DiagnoseStop | undefined> {
  if (run.mode.step || run.mode.sequential) return runInOrder(run, selected, finished);
  const steps = run.playbook.doc.steps.filter(
    (s): s is DiagnoseStepDoc => s.kind === 'diagnose' && selected.has(s.id) && !finished.has(s.id),
  );
  return runWhenReady(run, steps);
}

async function runInOrder(
  run: RunContext,
  selected: ReadonlySet<string>,
  finished: ReadonlySet<string>,
): Promise<DiagnoseStop | undefined> {
  for (const step of run.playbook.doc.steps) {
    if (step.kind !== 'diagnose' || finished.has(step.id)) continue;
    if (run.signal.aborted) return 'interrupted';
    if (!selected.has(step.id)) continue;
    const stop = await runDiagnoseWithChecks(run, step);
    if (stop) return stop;
  }
  return undefined;
}

// Needs on steps outside this phase (not selected, or finished before a resume) are met.
function runWhenReady(run: RunContext, steps: DiagnoseStepDoc[]): Promise<DiagnoseStop | undefined> {
  const needs = findDiagnoseNeeds(run.playbook.doc);
  const unended = new Set(steps.map((s) => s.id));
  const waiting = new Set(unended);
  const busy = new Set<DiagnoseStepDoc['on']>();
  // One lane per session: a local target's steps share the client's.
  const laneOf = (step: DiagnoseStepDoc) => (run.sharedSession ? 'client' : step.on);
  let aborted = false;
  let thrown: { error: unknown } | undefined;
  return new Promise((resolve, reject) => {
    const startReady = () => {
      const stopping = aborted || run.signal.aborted || thrown !== undefined;
      for (const step of stopping ? [] : steps) {
        if (!waiting.has(step.id) || busy.has(laneOf(step))) continue;
        if ((needs.get(step.id) ?? []).some((id) => unended.has(id))) continue;
        waiting.delete(step.id);
        busy.add(laneOf(step));
        runDiagnoseWithChecks(run, step).then(
          (stop) => {
            if (stop === 'aborted') aborted = true;
            endOf(step);
          },
          (error: unknown) => {
            thrown ??= { error };
            endOf(step);
          },
        );
      }
      if (busy.size > 0) return;
      if (thrown) reject(thrown.error);
      else if (aborted) resolve('aborted');
      else resolve(run.signal.aborted && waiting.size > 0 ? 'interrupted' : undefined);
    };
    const endOf = (step: DiagnoseStepDoc) => {
      unended.delete(step.id);
      busy.delete(laneOf(step));
      startReady();
    };
    startReady();
  });
}
