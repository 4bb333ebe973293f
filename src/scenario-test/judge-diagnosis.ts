/** Diagnosis check: the top-ranked cause is a planted one and every planted cause was detected. */
import type { RankedCause } from '../engine/journal-records.js';
import type { CheckResult } from './scenario-result.js';

/** A diagnose step that did not end ok, as the run reported it. */
export interface StepProblem {
  stepId: string;
  status: string;
  reason?: string;
}

/** Judges the ranking right after the diagnose phase against the scenario's expected causes. */
export function judgeDiagnosis(
  expected: string[],
  ranked: RankedCause[],
  problems: StepProblem[] = [],
): Omit<CheckResult, 'durationMs'> {
  const detected = ranked.filter((c) => c.detected);
  const details = problems.map((p) => `step ${p.stepId} ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
  const extra = detected.filter((c) => !expected.includes(c.cause));
  if (extra.length > 0) details.push(`also detected: ${extra.map(describeCause).join(', ')}`);

  if (expected.length === 0) {
    if (detected.length === 0) return { passed: true, reason: 'no cause detected (healthy host)', details };
    return {
      passed: false,
      reason: `a healthy host, but detected ${detected.map(describeCause).join(', ')}`,
      details,
    };
  }
  const missed = expected.filter((id) => !detected.some((c) => c.cause === id));
  const top = detected[0];
  if (!top) return { passed: false, reason: `no cause detected; expected ${expected.join(', ')}`, details };
  if (!expected.includes(top.cause))
    return {
      passed: false,
      reason: `top cause is ${describeCause(top)}, expected ${expected.join(' or ')}${missed.length ? `; not detected: ${missed.map((id) => describeRanked(id, ranked)).join(', ')}` : ''}`,
      details,
    };
  if (missed.length > 0)
    return {
      passed: false,
      reason: `not detected: ${missed.map((id) => describeRanked(id, ranked)).join(', ')} (top cause ${describeCause(top)})`,
      details,
    };
  const silent = expected.filter(
    (id) => !ranked.find((c) => c.cause === id)?.evidence.some((e) => e.evidence.trim()),
  );
  if (silent.length > 0)
    return {
      passed: false,
      reason: `detected without evidence a person can read: ${silent.join(', ')}`,
      details,
    };
  const rest = expected.filter((id) => id !== top.cause);
  return {
    passed: true,
    reason: `top cause ${describeCause(top)}${rest.length ? `; also detected ${rest.map((id) => describeRanked(id, ranked)).join(', ')}` : ''}`,
    details,
  };
}

/** `firewall-closed 97%`. */
export function describeCause(cause: Pick<RankedCause, 'cause' | 'confidence'>): string {
  return `${cause.cause} ${Math.round(cause.confidence * 100)}%`;
}

function describeRanked(id: string, ranked: RankedCause[]): string {
  const found = ranked.find((c) => c.cause === id);
  return found ? describeCause(found) : `${id} (no finding)`;
}
