/** Checks `needs:` of diagnose steps: known diagnose step ids, not itself, and no circle. */
import { type DeclaredNames, listOf } from './check-references.js';
import { didYouMean } from './did-you-mean.js';
import type { ProblemList } from './problem-list.js';
import { isPlainObject } from './schema-problems.js';
import { findNeedsCycle, stepsReadBy } from './step-needs.js';

/** Reports unknown, non-diagnose and self `needs:` entries, and needs that go round in a circle. */
export function checkStepNeeds(
  data: Record<string, unknown>,
  names: DeclaredNames,
  problems: ProblemList,
): void {
  const steps = listOf(data.steps);
  const kindOf = (id: string) => {
    const index = names.steps.get(id);
    const step = index === undefined ? undefined : steps[index];
    return isPlainObject(step) ? step.kind : undefined;
  };
  const needs = new Map<string, string[]>();
  const needsAt = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!isPlainObject(step) || step.kind !== 'diagnose' || typeof step.id !== 'string') return;
    const own = step.id;
    const declared: string[] = [];
    listOf(step.needs).forEach((id, position) => {
      if (typeof id !== 'string') return;
      const at = ['steps', index, 'needs', position];
      if (id === own)
        problems.add(at, `step "${own}" cannot need itself`, 'name the steps that must end before it');
      else if (!names.steps.has(id))
        problems.add(
          at,
          `unknown step "${id}"`,
          didYouMean(id, names.steps.keys()) || 'name a diagnose step of this playbook',
        );
      else if (kindOf(id) !== 'diagnose')
        problems.add(
          at,
          `step "${id}" is a fix step`,
          'needs: names diagnose steps; fixes run after the diagnosis',
        );
      else declared.push(id);
    });
    const reads = [...stepsReadBy({ with: step.with as Record<string, unknown>, when: step.when as string })];
    needs.set(own, [...declared, ...reads.filter((id) => id !== own && kindOf(id) === 'diagnose')]);
    if (step.needs !== undefined) needsAt.set(own, index);
  });
  const cycle = findNeedsCycle(needs);
  if (!cycle) return;
  const first = cycle.find((id) => needsAt.has(id)) ?? cycle[0] ?? '';
  problems.add(
    ['steps', needsAt.get(first) ?? names.steps.get(first) ?? 0, 'needs'],
    `these steps need each other in a circle: ${cycle.join(' -> ')}`,
    'remove one of the needs so that some step can start first',
  );
}
