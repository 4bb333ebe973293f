/**
 * Ranks causes by their evidence. Each diagnose step counts once per cause (its strongest finding);
 * independent steps combine as 1 - prod(1 - confidence), so agreement raises the rank.
 */
import type { Finding } from '../core/step-status.js';
import type { CauseDoc } from '../playbook/schema.js';
import type { RankedCause } from './journal-records.js';

/** A cause counts as detected at or above this combined confidence. */
export const DETECTED_AT = 0.5;

/** Ranks every cause that a finding mentions: strongest first, then most agreeing, then playbook order. */
export function rankCauses(findingsByStep: Map<string, Finding[]>, causes: CauseDoc[]): RankedCause[] {
  const byCause = new Map<string, Map<string, Finding>>();
  for (const [stepId, findings] of findingsByStep) {
    for (const finding of findings) {
      const perStep = byCause.get(finding.cause) ?? new Map<string, Finding>();
      const previous = perStep.get(stepId);
      if (!previous || finding.confidence > previous.confidence) perStep.set(stepId, finding);
      byCause.set(finding.cause, perStep);
    }
  }
  const order = new Map(causes.map((c, i) => [c.id, i]));
  const ranked: RankedCause[] = [];
  for (const [cause, perStep] of byCause) {
    const agreeing = [...perStep.entries()]
      .filter(([, f]) => f.confidence > 0)
      .sort((a, b) => b[1].confidence - a[1].confidence);
    const confidence = 1 - agreeing.reduce((miss, [, f]) => miss * (1 - clamp(f.confidence)), 1);
    ranked.push({
      cause,
      title: causes.find((c) => c.id === cause)?.title ?? cause,
      confidence: Math.round(confidence * 1000) / 1000,
      agreeing: agreeing.length,
      detected: confidence >= DETECTED_AT,
      evidence: agreeing.map(([stepId, f]) => ({ stepId, confidence: f.confidence, evidence: f.evidence })),
    });
  }
  return ranked.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      b.agreeing - a.agreeing ||
      (order.get(a.cause) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.cause) ?? Number.MAX_SAFE_INTEGER),
  );
}

function clamp(n: number): number {
  return Math.min(1, Math.max(0, n));
}
