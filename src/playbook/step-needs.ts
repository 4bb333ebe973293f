/**
 * What a diagnose step needs before it can start: the diagnose steps it names in `needs:` and
 * those its `with:` and `when:` expressions read (`steps.dns.result` needs dns).
 */
import type { DiagnoseStepDoc, PlaybookDoc } from './schema.js';

/** The step ids a step's `with:` and `when:` expressions read (`steps.x` or `steps["x"]`). */
export function stepsReadBy(step: Pick<DiagnoseStepDoc, 'with' | 'when'>): Set<string> {
  const text = JSON.stringify({ with: step.with ?? {}, when: step.when ?? '' });
  const reads = new Set<string>();
  for (const match of text.matchAll(
    /\bsteps\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*\\?["']([A-Za-z_][A-Za-z0-9_]*))/g,
  ))
    reads.add(match[1] ?? match[2] ?? '');
  return reads;
}

/** For each diagnose step, the diagnose steps it waits for (declared and implied), in playbook order. */
export function findDiagnoseNeeds(doc: Pick<PlaybookDoc, 'steps'>): Map<string, string[]> {
  const diagnose = doc.steps.filter((s): s is DiagnoseStepDoc => s.kind === 'diagnose');
  const ids = diagnose.map((s) => s.id);
  const needs = new Map<string, string[]>();
  for (const step of diagnose) {
    const wanted = new Set([...(step.needs ?? []), ...stepsReadBy(step)]);
    needs.set(
      step.id,
      ids.filter((id) => id !== step.id && wanted.has(id)),
    );
  }
  return needs;
}

/** The first circle of needs found (`[a, b, a]`), or undefined when there is none. */
export function findNeedsCycle(needs: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of needs.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of needs.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
