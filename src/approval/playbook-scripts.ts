import type { PlaybookDoc } from '../playbook/schema.js';
import type { FixStepRisk } from './policy.js';

/** Every script path a playbook names (`script`, `test`, `apply`, `undo`), as written, relative to it. */
export function listScriptPaths(doc: PlaybookDoc): string[] {
  const paths = doc.steps.flatMap((step) =>
    step.kind === 'diagnose'
      ? [step.script]
      : [step.test, step.apply, ...(typeof step.undo === 'string' ? [step.undo] : [])],
  );
  return [...new Set(paths)];
}

/** The fix steps of a playbook with their risk. */
export function listFixSteps(doc: PlaybookDoc): FixStepRisk[] {
  return doc.steps.flatMap((step) => (step.kind === 'fix' ? [{ id: step.id, risk: step.risk }] : []));
}
