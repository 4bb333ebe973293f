/** Every state a step (or its rollback) can be in; the journal and reports use these words. */
export const STEP_STATUSES = [
  /** Not started yet. */
  'pending',
  /** Its script is running now. */
  'running',
  /** Ran and changed nothing (a diagnose step, or a fix that found the target compliant). */
  'ok',
  /** A fix that applied a change and verified it. */
  'changed',
  /** Not run: not needed, not selected, declined, or outside an approval. */
  'skipped',
  /** Ran and failed, or its verify did not pass. */
  'failed',
  /** Ran past its timeout; its session was killed and replaced. */
  'timedOut',
  /** Not run (or cut short): its machine could not be reached for management; the reason is recorded. */
  'unreachable',
  /** Its undo is running now. */
  'rollingBack',
  /** Undone, and a fresh test matched the recorded before-state. */
  'rolledBack',
  /** Not confirmed in time: the server undid it itself (its revert task), and a fresh test matched the before-state. */
  'autoReverted',
  /** Its undo ran but a fresh test does not match the before-state: reported loudly. */
  'revertUnverified',
  /** Its undo failed. */
  'rollbackFailed',
  /** Stopped by the user (abort, Ctrl+C) before it finished. */
  'cancelled',
] as const;

/** One of {@link STEP_STATUSES}. */
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A diagnose step's claim that a cause is (or is not) present, with evidence a person can read. */
export interface Finding {
  cause: string;
  /** 0..1: how sure the script is that this cause is present (0 means ruled out). */
  confidence: number;
  evidence: string;
}
