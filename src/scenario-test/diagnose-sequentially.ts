/**
 * The diagnosis as it was before steps ran at the same time: a --check run of only the diagnose
 * steps, one by one in playbook order, whose ranking a concurrent run must reproduce.
 */
import type { RankedCause } from '../engine/journal-records.js';
import { runPlaybook } from '../engine/run-playbook.js';
import type { RediagnoseOptions } from './rediagnose.js';
import { RunObserver } from './run-observer.js';

/** A ranked cause without its evidence's words (which may quote times): what ranking decides. */
export type RankingFacts = Pick<RankedCause, 'cause' | 'confidence' | 'agreeing' | 'detected'> & {
  evidenceSteps: string[];
  unknownBecause?: string[];
};

/** Runs the diagnose steps sequentially (check mode, nothing changes) and returns the ranking. */
export async function diagnoseSequentially(options: RediagnoseOptions): Promise<RankedCause[]> {
  const only = options.playbook.doc.steps.filter((s) => s.kind === 'diagnose').map((s) => s.id);
  const observer = new RunObserver();
  await runPlaybook({
    ...options,
    onEvent: observer.onEvent,
    mode: { interactive: false, check: true, sequential: true },
    selection: { only },
  });
  return observer.diagnosed;
}

/** The facts of a ranking that must not depend on the order steps ran in. */
export function rankingFacts(ranked: RankedCause[]): RankingFacts[] {
  return ranked.map((c) => ({
    cause: c.cause,
    confidence: c.confidence,
    agreeing: c.agreeing,
    detected: c.detected,
    evidenceSteps: c.evidence.map((e) => `${e.stepId} ${e.confidence}`),
    ...(c.unknownBecause ? { unknownBecause: c.unknownBecause } : {}),
  }));
}
