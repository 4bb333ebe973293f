/**
 * A script's state as short labelled lines a person reads (`enabled: no`), for prompts; the JSON
 * itself stays in the prompt's details, the journal and the report.
 */
import { countOf } from './words.js';

/** One `label: value` line per top-level property; nested objects become `key value, key value`. */
export function formatStateLines(state: unknown): string[] {
  if (state === null || state === undefined) return ['(the test returned no state)'];
  if (typeof state !== 'object' || Array.isArray(state)) return [formatScalarOrList(state)];
  return Object.entries(state as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${formatNested(v)}`);
}

function formatNested(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k} ${formatScalarOrList(v)}`);
    return parts.length ? parts.join(', ') : '(empty)';
  }
  return formatScalarOrList(value);
}

function formatScalarOrList(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((v) => typeof v !== 'object' || v === null))
      return value.map(formatScalarOrList).join(', ');
    return countOf(value.length, 'item');
  }
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).join(', ')}}`;
  return String(value);
}

/** One value a change altered: its dotted path and the readable value before and after. */
export interface StateDifference {
  path: string;
  before: string;
  after: string;
}

/** The leaf values that differ between two states (`builtIn.enabled: no -> yes`), in path order. */
export function diffStates(before: unknown, after: unknown): StateDifference[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((path) => ({ path, before: a.get(path) ?? '(none)', after: b.get(path) ?? '(none)' }));
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (value !== null && value !== undefined) out.set(prefix || 'value', formatScalarOrList(value));
  return out;
}
