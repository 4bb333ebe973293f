/** Resolves a scenario time (`2026-01-01T00:00:00Z`, `clock`, `clock-30d`, `clock+6h`) against the host clock. */
export function resolveLabTime(value: string, clock: string): string {
  const relative = /^clock(?:([+-])(\d+)([dhm]))?$/.exec(value);
  if (!relative) return toIsoSeconds(new Date(value));
  const base = Date.parse(clock);
  if (Number.isNaN(base))
    throw new Error(`the host clock "${clock}" is not a time, so "${value}" cannot be resolved`);
  const [, sign, amount, unit] = relative;
  const unitMs = unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000;
  const offset = sign ? (sign === '-' ? -1 : 1) * Number(amount) * unitMs : 0;
  return toIsoSeconds(new Date(base + offset));
}

/** ISO 8601 UTC without milliseconds, as the state files write times. */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
