const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A playbook duration (`500ms`, `20s`, `2m`, `1h`, or a number of seconds) in milliseconds. */
export function parseDuration(duration: string | number): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration <= 0) throw new RangeError(`not a duration: ${duration}`);
    return Math.round(duration * 1000);
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(duration.trim());
  if (!match) throw new RangeError(`not a duration: "${duration}" (use 500ms, 20s, 2m or 1h)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}
