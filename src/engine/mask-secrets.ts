import { SECRET_MASK } from '../playbook/plan.js';

/**
 * A copy of `value` (a script outcome: result, error, warnings, verbose lines) with every
 * occurrence of a secret param's value replaced by the mask, so no event, journal record or
 * report can carry it. Keys are kept; only string values change.
 */
export function maskSecretValues<T>(value: T, secrets: readonly string[]): T {
  const needles = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (needles.length === 0) return value;
  const mask = (v: unknown): unknown => {
    if (typeof v === 'string') return needles.reduce((text, s) => text.replaceAll(s, SECRET_MASK), v);
    if (Array.isArray(v)) return v.map(mask);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = mask(item);
      return out;
    }
    return v;
  };
  return mask(value) as T;
}
