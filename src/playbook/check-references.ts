import { didYouMean } from './did-you-mean.js';
import type { ProblemList } from './problem-list.js';
import { isPlainObject } from './schema-problems.js';

/** The names a playbook declares, read defensively from raw data (it may not fit the schema). */
export interface DeclaredNames {
  params: Set<string>;
  causes: Set<string>;
  /** Step id to its first index. */
  steps: Map<string, number>;
}

/** Collects declared params, causes and step ids, reporting duplicate step and cause ids. */
export function collectDeclaredNames(data: Record<string, unknown>, problems: ProblemList): DeclaredNames {
  const params = new Set(isPlainObject(data.params) ? Object.keys(data.params) : []);
  const causes = new Set<string>();
  listOf(data.causes).forEach((cause, index) => {
    const id = isPlainObject(cause) ? cause.id : undefined;
    if (typeof id !== 'string') return;
    if (causes.has(id))
      problems.add(['causes', index, 'id'], `duplicate cause id "${id}"`, 'each cause needs its own id');
    causes.add(id);
  });
  const steps = new Map<string, number>();
  listOf(data.steps).forEach((step, index) => {
    const id = isPlainObject(step) ? step.id : undefined;
    if (typeof id !== 'string') return;
    const first = steps.get(id);
    if (first !== undefined)
      problems.add(
        ['steps', index, 'id'],
        `duplicate step id "${id}" (also steps.${first})`,
        'each step needs its own id; later steps refer to it as steps.<id>',
      );
    else steps.set(id, index);
  });
  return { params, causes, steps };
}

/** Reports `fixes:` entries that name no declared cause. */
export function checkFixesReferences(
  data: Record<string, unknown>,
  names: DeclaredNames,
  problems: ProblemList,
): void {
  listOf(data.steps).forEach((step, index) => {
    if (!isPlainObject(step)) return;
    listOf(step.fixes).forEach((cause, position) => {
      if (typeof cause !== 'string' || names.causes.has(cause)) return;
      problems.add(
        ['steps', index, 'fixes', position],
        `unknown cause "${cause}"`,
        didYouMean(cause, names.causes) || 'declare it under causes: with an id and a title',
      );
    });
  });
}

/** The items of a list, or none when the value is not a list. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
