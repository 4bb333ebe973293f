/** What `psremedy test` found for each scenario: three checks, each passed or failed with a reason. */
import type { RankedCause, RunOutcome } from '../engine/journal-records.js';

/** The three questions asked of every scenario. */
export type CheckName = 'diagnosis' | 'repair' | 'rollback';

/** One check's verdict. */
export interface CheckResult {
  passed: boolean;
  /** Why it passed or failed, in words (one line). */
  reason: string;
  /** Further lines: state differences, failed steps, what else was detected. */
  details: string[];
  durationMs: number;
}

/** Everything measured for one scenario. */
export interface ScenarioResult {
  scenario: string;
  file: string;
  expectedCauses: string[];
  passed: boolean;
  checks: Record<CheckName, CheckResult>;
  /** The diagnose-and-repair run (and its verification and rollback), for the journal and timings. */
  run?: {
    runId: string;
    outcome: RunOutcome;
    /** Causes as ranked after diagnosis, detected ones only. */
    detected: Pick<RankedCause, 'cause' | 'confidence'>[];
    fixed: string[];
    /** The whole diagnose-and-repair run, as the engine timed it. */
    durationMs: number;
  };
  /** With `compareSequential`: the ranking of the run, and of a sequential diagnosis run before it. */
  rankings?: { concurrent: RankedCause[]; sequential: RankedCause[] };
  /** Where the runs and lab state of this scenario live (kept with --state-dir or on failure). */
  stateDir: string;
  labStartMs: number;
  durationMs: number;
}

/** The result of testing one playbook against its scenarios. */
export interface PlaybookTestResult {
  playbook: string;
  passed: boolean;
  scenarios: ScenarioResult[];
  durationMs: number;
  /** The state folder, when kept. */
  stateDir?: string;
}
