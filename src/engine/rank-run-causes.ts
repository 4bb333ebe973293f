/** Ranks a run's causes and marks those whose evidence is missing as unknown (never detected). */
import { findDiagnoseStepsNotRun, findStepsOnMissingEvidence, findUnknownCauses } from './cause-evidence.js';
import type { RankedCause } from './journal-records.js';
import { rankCauses } from './rank-causes.js';
import type { RunContext } from './run-context.js';

/**
 * The causes ranked over the run's findings. When the run diagnosed (some diagnose step was
 * selected), a cause whose evidence depends on a diagnose step that did not run is not detected
 * and names those steps in `unknownBecause`, unless the steps that rest on no missing step detect
 * it on their own; an unknown cause without findings is listed too.
 */
export function rankRunCauses(run: RunContext): RankedCause[] {
  // Steps that ran at the same time end in any order: rank their findings in playbook order.
  const findingsByStep = new Map(
    run.playbook.doc.steps.flatMap((s) => {
      const findings = run.findingsByStep.get(s.id);
      return findings ? [[s.id, findings] as const] : [];
    }),
  );
  const ranked = rankCauses(findingsByStep, run.playbook.doc.causes);
  if (!run.diagnosing) return ranked;
  const reportedBy = new Map<string, Set<string>>();
  for (const [stepId, findings] of findingsByStep)
    for (const f of findings) reportedBy.set(f.cause, new Set([...(reportedBy.get(f.cause) ?? []), stepId]));
  const notRun = findDiagnoseStepsNotRun(run.playbook, run.steps);
  const unknown = findUnknownCauses(run.playbook, notRun, reportedBy);
  // What the steps that rest on no missing step detect on their own evidence stands.
  const suspect = findStepsOnMissingEvidence(run.playbook, notRun);
  const trusted = new Map([...findingsByStep].filter(([stepId]) => !suspect.has(stepId)));
  const provenByTrusted = new Set(
    rankCauses(trusted, run.playbook.doc.causes)
      .filter((c) => c.detected)
      .map((c) => c.cause),
  );
  const marked = ranked.map((c) => {
    const because = unknown.get(c.cause);
    return because && !provenByTrusted.has(c.cause) ? { ...c, detected: false, unknownBecause: because } : c;
  });
  for (const cause of run.playbook.doc.causes) {
    const because = unknown.get(cause.id);
    if (!because || marked.some((c) => c.cause === cause.id)) continue;
    marked.push({
      cause: cause.id,
      title: cause.title,
      confidence: 0,
      agreeing: 0,
      detected: false,
      evidence: [],
      unknownBecause: because,
    });
  }
  return marked;
}

/** Ranks the run's causes into `run.ranked`, journals the ranking and emits `causes.ranked`. */
export function publishRanking(run: RunContext): RankedCause[] {
  run.ranked = rankRunCauses(run);
  run.journal.append({ type: 'causes', ranked: run.ranked });
  run.emit({
    type: 'causes.ranked',
    causes: run.ranked,
    diagnosed: run.diagnosing,
    notRun: run.diagnosing ? findDiagnoseStepsNotRun(run.playbook, run.steps) : [],
  });
  return run.ranked;
}
