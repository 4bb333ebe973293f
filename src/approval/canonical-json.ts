/**
 * The canonical JSON form that approvals are signed and digested in: RFC 8785 (JCS) for the
 * values an approval holds. Object keys sorted by UTF-16 code units, no whitespace, strings and
 * numbers exactly as JSON.stringify writes them (which is what JCS specifies for ES numbers).
 */

/** A JSON value as it appears in an approval. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Serializes a JSON value canonically; throws on values JSON cannot represent exactly. */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot canonicalize the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, exactly as RFC 8785 section 3.2.3 asks.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot canonicalize a value of type ${typeof value}`);
}
