/** Collects what `psremedy test` needs from a run's events: timings, the ranking, failed steps, the summary. */
import type { EngineEvent, SummaryEvent } from '../engine/events.js';
import type { RankedCause } from '../engine/journal-records.js';
import type { FixTestAnswer } from './judge-agreement.js';
import type { StepProblem } from './judge-diagnosis.js';

/** A silent reporter that remembers the parts of a run the checks judge. */
export class RunObserver {
  readonly startedAt = performance.now();
  /** When the diagnose phase ended (the first ranking). */
  diagnosedAt?: number;
  diagnosed: RankedCause[] = [];
  summary?: SummaryEvent;
  readonly diagnoseProblems: StepProblem[] = [];
  readonly fixProblems: StepProblem[] = [];
  /** What each fix step's first test said, and whether a change came before it. */
  readonly fixTests: FixTestAnswer[] = [];
  private changed = false;

  /** The engine's event sink. */
  readonly onEvent = (event: EngineEvent): void => {
    if (event.type === 'causes.ranked' && this.diagnosedAt === undefined) {
      this.diagnosedAt = performance.now();
      this.diagnosed = event.causes;
    }
    if (event.type === 'summary') this.summary = event;
    if (event.type === 'step.end' && event.phase === 'fix') {
      if (!this.fixTests.some((t) => t.stepId === event.stepId))
        this.fixTests.push({
          stepId: event.stepId,
          compliant: event.status === 'ok' && event.reason === 'already compliant',
          afterChange: this.changed,
        });
      if (event.status === 'changed') this.changed = true;
    }
    if (event.type === 'step.end' && !['ok', 'changed', 'skipped'].includes(event.status)) {
      const problem = {
        stepId: event.phase === 'recheck' ? `${event.stepId} (re-check)` : event.stepId,
        status: event.status,
        ...(event.reason || event.error ? { reason: event.error?.message ?? event.reason } : {}),
      };
      (event.phase === 'diagnose' ? this.diagnoseProblems : this.fixProblems).push(problem);
    }
  };
}
