/** A time relative to the host clock: `clock`, `clock-30d`, `clock+6h`, `clock-90m`, `clock-5s`. */
const RELATIVE_TIME = /^clock(?:([+-])(\d{1,9})([dhms]))?$/;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** True when `value` is written relative to the host clock. */
export function isRelativeLabTime(value: string): boolean {
  return RELATIVE_TIME.test(value);
}

/** Resolves a scenario time (`2026-01-01T00:00:00Z`, `clock`, `clock-30d`, `clock+6h`) against the host clock. */
export function resolveLabTime(value: string, clock: string): string {
  const relative = RELATIVE_TIME.exec(value);
  if (!relative) return toIsoSeconds(new Date(value));
  const base = Date.parse(clock);
  if (Number.isNaN(base))
    throw new Error(`the host clock "${clock}" is not a time, so "${value}" cannot be resolved`);
  const [, sign, amount, unit] = relative;
  const offset = sign ? (sign === '-' ? -1 : 1) * Number(amount) * (UNIT_MS[unit ?? 'd'] ?? 0) : 0;
  const resolved = new Date(base + offset);
  if (Number.isNaN(resolved.getTime()))
    throw new Error(`"${value}" is out of range: times run from year -271821 to 275760`);
  return toIsoSeconds(resolved);
}

/**
 * Resolves, in place, every string of `value` (at any depth) that is written relative to the host
 * clock, so a base state describes a host as of `clock` whatever the date.
 */
export function resolveRelativeTimes(value: unknown, clock: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === 'string' && isRelativeLabTime(item)) value[index] = resolveLabTime(item, clock);
      else resolveRelativeTimes(item, clock);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string' && isRelativeLabTime(item)) record[key] = resolveLabTime(item, clock);
    else resolveRelativeTimes(item, clock);
  }
}

/** ISO 8601 UTC without milliseconds, as the state files write times. */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time relative to the real clock, written as a lab time: `fromNow('clock-30d')`. */
export function fromNow(relative: string): string {
  return resolveLabTime(relative, toIsoSeconds(new Date()));
}
