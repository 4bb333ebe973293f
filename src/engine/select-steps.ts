/** --only, --skip and --start-at: which steps a run may run, checked against the playbook. */
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../playbook/did-you-mean.js';
import type { PlaybookDoc, StepDoc } from '../playbook/schema.js';

/** The step selection flags. */
export interface StepSelection {
  only?: string[];
  skip?: string[];
  startAt?: string;
}

/** Ids of the selected steps; throws a UsageError naming any unknown id. */
export function selectSteps(doc: PlaybookDoc, selection: StepSelection = {}): Set<string> {
  const ids = doc.steps.map((s) => s.id);
  const named = [
    ...(selection.only ?? []),
    ...(selection.skip ?? []),
    ...(selection.startAt ? [selection.startAt] : []),
  ];
  const unknown = named.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    throw new UsageError(
      unknown.map((id) => `no step "${id}" in ${doc.name} ${didYouMean(id, ids)}`.trim()).join('\n') +
        `\n  steps: ${ids.join(', ')}`,
    );
  const startIndex = selection.startAt ? ids.indexOf(selection.startAt) : 0;
  const selected = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (index < startIndex) continue;
    if (selection.only?.length && !selection.only.includes(id)) continue;
    if (selection.skip?.includes(id)) continue;
    selected.add(id);
  }
  return selected;
}

/** The steps that would ask for consent in this run (fix steps, and every step under --step). */
export function stepsNeedingConsent(
  doc: PlaybookDoc,
  selected: Set<string>,
  mode: { check: boolean; yes: boolean; step: boolean; hasPolicy: boolean },
): StepDoc[] {
  return doc.steps.filter((s) => {
    if (!selected.has(s.id)) return false;
    if (mode.step) return true;
    if (s.kind !== 'fix' || mode.check || mode.yes || mode.hasPolicy) return false;
    return true;
  });
}
