const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest duration a playbook may give (24 hours); longer is a mistake, not a wait. */
export const MAX_DURATION_MS = 24 * 3_600_000;

/** The shortest: a duration that rounds to 0 ms would time out at once. */
export const MIN_DURATION_MS = 1;

const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** A playbook duration (`500ms`, `20s`, `2m`, `1h`, or a number of seconds) in milliseconds. */
export function parseDuration(duration: string | number): number {
  const problem = durationProblem(duration);
  if (problem !== undefined) throw new RangeError(`not a duration: ${problem}`);
  return toMs(duration) as number;
}

/** Why a value is not a usable duration (bad form, 0, not finite, over 24 h), or undefined when it is. */
export function durationProblem(duration: string | number): string | undefined {
  if (toMs(duration) === undefined) return 'use a duration such as 500ms, 20s, 2m or 1h';
  return durationRangeProblem(duration);
}

/** Why a well-formed duration is out of range (0, not finite, over 24 h); undefined otherwise. */
export function durationRangeProblem(duration: string | number): string | undefined {
  const ms = toMs(duration);
  if (ms === undefined) return undefined;
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) return 'it is longer than the maximum of 24h';
  if (ms < MIN_DURATION_MS) return 'it is shorter than 1ms, so it would end at once';
  return undefined;
}

function toMs(duration: string | number): number | undefined {
  if (typeof duration === 'number') return Number.isNaN(duration) ? undefined : Math.round(duration * 1000);
  const match = PATTERN.exec(duration.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}
