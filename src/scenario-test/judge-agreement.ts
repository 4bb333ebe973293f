/**
 * One judgement per cause: when the diagnosis detects cause C, the `test` of C's first fix step
 * must not call the host compliant. Judged on the repair run for every fix whose test ran before
 * anything was changed (a fix applied earlier may legitimately have repaired C already).
 */
import type { RankedCause } from '../engine/journal-records.js';

/** How one fix step's test answered during the repair run. */
export interface FixTestAnswer {
  stepId: string;
  /** The test said "already compliant". */
  compliant: boolean;
  /** Some fix changed the host before this step's test ran. */
  afterChange: boolean;
}

/** The contradictions found: detected causes whose first fix's test says compliant. */
export function judgeAgreement(
  detected: RankedCause[],
  fixSteps: Array<{ id: string; fixes: string[] }>,
  answers: FixTestAnswer[],
): string[] {
  const contradictions: string[] = [];
  for (const cause of detected.filter((c) => c.detected)) {
    const first = fixSteps.find((s) => s.fixes.includes(cause.cause));
    const answer = first && answers.find((a) => a.stepId === first.id);
    if (answer?.compliant && !answer.afterChange)
      contradictions.push(
        `the diagnosis detects ${cause.cause}, but the test of its fix ${answer.stepId} says compliant`,
      );
  }
  return contradictions;
}
