/**
 * What the engine tells the world while it runs. Reporters (src/ui) subscribe; the engine itself
 * never prints. Every event carries `type`; names are `<subject>.<what>`.
 */

import type { Finding, StepStatus } from '../core/step-status.js';
import type { TargetUnreachable } from '../core/unreachable.js';
import type { ScriptError } from '../powershell/types.js';
import type { StepNotRun } from './cause-evidence.js';
import type { RankedCause, RunCounts, RunOutcome } from './journal-records.js';

/** A step as planned at the start of a run. */
export interface PlannedStep {
  id: string;
  title: string;
  kind: 'diagnose' | 'fix';
  on: 'client' | 'target';
  /** False when --only/--skip/--start-at left it out. */
  selected: boolean;
  risk?: 'low' | 'medium' | 'high' | 'disruptive';
  fixes?: string[];
}

/** What a fix step's test concluded in --check mode. */
export type CheckImpact = 'compliant' | 'wouldChange' | 'unknown';

/** The run began; the journal exists. */
export interface RunStartEvent {
  type: 'run.start';
  runId: string;
  journalPath: string;
  playbook: { name: string; title: string; file: string };
  target: string;
  check: boolean;
  resumed: boolean;
  steps: PlannedStep[];
}

/** A run that ended without a run-end record (psremedy was killed) was found at start. */
export interface RunCrashFoundEvent {
  type: 'run.crashFound';
  runId: string;
  playbook: string;
  startedAt: string;
  /** Changes that may still be in place. */
  pendingChanges: string[];
  /** Its journal (the hints name the state folder it is in). */
  journalPath: string;
}

/** A step (or a re-check of a diagnose step) started. */
export interface StepStartEvent {
  type: 'step.start';
  stepId: string;
  title: string;
  kind: 'diagnose' | 'fix';
  phase: 'diagnose' | 'fix' | 'recheck';
}

/** A step moved to a new phase of its lifecycle. */
export interface StepProgressEvent {
  type: 'step.progress';
  stepId: string;
  activity:
    | 'testing'
    | 'previewing'
    | 'waitingForConsent'
    | 'applying'
    | 'verifying'
    | 'reconnecting'
    | 'waitingForServerRevert';
}

/** Before/after of one change (--diff), or the test state and -WhatIf lines in --check --diff. */
export interface StepDiffEvent {
  type: 'step.diff';
  stepId: string;
  before: unknown;
  after?: unknown;
  whatIf?: string[];
  /** Why no -WhatIf preview could be made safely (the apply script was not run). */
  noPreview?: string;
}

/** A step finished. */
export interface StepEndEvent {
  type: 'step.end';
  stepId: string;
  kind: 'diagnose' | 'fix';
  phase: 'diagnose' | 'fix' | 'recheck';
  status: StepStatus;
  durationMs: number;
  reason?: string;
  findings?: Finding[];
  impact?: CheckImpact;
  error?: ScriptError;
  /** Status `unreachable`: why its machine could not be reached. */
  unreachable?: TargetUnreachable;
}

/**
 * A step's machine could not be reached for management (once per run and location): its steps
 * end `unreachable` from now on, the others go on.
 */
export interface TargetUnreachableEvent extends TargetUnreachable {
  type: 'target.unreachable';
  on: 'client' | 'target';
}

/** Causes ranked over every finding so far. */
export interface CausesRankedEvent {
  type: 'causes.ranked';
  causes: RankedCause[];
  /** False when no diagnose step was selected: nothing was diagnosed. */
  diagnosed: boolean;
  /** Diagnose steps that did not run (their causes are unknown). */
  notRun: StepNotRun[];
}

/** After a fix, its cause was diagnosed again. */
export interface CauseRecheckEvent {
  type: 'cause.recheck';
  cause: string;
  fixedBy: string;
  cleared: boolean;
}

/** The admin was asked something and answered (or a timeout answered). */
export interface PromptAnsweredEvent {
  type: 'prompt.answered';
  stepId: string;
  question: 'fix' | 'keep' | 'step';
  answer: string;
  by: 'prompt' | 'yes' | 'policy' | 'timeout' | 'verify';
}

/** Undoing changes began. */
export interface RollbackStartEvent {
  type: 'rollback.start';
  reason: string;
  steps: string[];
}

/** One undo finished. */
export interface RollbackStepEvent {
  type: 'rollback.step';
  stepId: string;
  status: 'rolledBack' | 'revertUnverified' | 'rollbackFailed';
  note?: string;
  error?: ScriptError;
  /** The fresh test state when it does not match the before-state. */
  state?: unknown;
  before?: unknown;
}

/** A server-side revert changed state: armed before apply, then confirmed, auto-reverted or unverified. */
export interface ServerRevertEvent {
  type: 'step.serverRevert';
  stepId: string;
  outcome: 'armed' | 'confirmed' | 'autoReverted' | 'revertUnverified';
  /** When the target reverts unless confirmed (its clock, UTC ISO 8601). */
  deadline?: string;
  note?: string;
  /** The fresh test state and the before-state, when they do not match. */
  state?: unknown;
  before?: unknown;
}

/** Undoing changes finished. */
export interface RollbackEndEvent {
  type: 'rollback.end';
  status: 'rolledBack' | 'revertUnverified' | 'rollbackFailed';
}

/** The run ended. */
export interface SummaryEvent {
  type: 'summary';
  runId: string;
  outcome: RunOutcome;
  counts: RunCounts;
  causes: RankedCause[];
  fixed: string[];
  remaining: string[];
  /** Causes left unknown: diagnose steps their evidence depends on did not run. */
  unknown: string[];
  /** False when no diagnose step was selected. */
  diagnosed: boolean;
  /** Diagnose steps that did not run, and fix steps skipped at a --step prompt. */
  notRun: StepNotRun[];
  journalPath: string;
  durationMs: number;
  /** --no-rollback left changes in place after a failure. */
  keptPartialChanges: boolean;
  /** The target could not be reached: why, and the steps that did not run (or were cut short). */
  unreachable?: TargetUnreachable & { on: 'client' | 'target'; steps: string[] };
}

/** Any engine event. */
export type EngineEvent =
  | RunStartEvent
  | RunCrashFoundEvent
  | StepStartEvent
  | StepProgressEvent
  | StepDiffEvent
  | StepEndEvent
  | TargetUnreachableEvent
  | CausesRankedEvent
  | CauseRecheckEvent
  | PromptAnsweredEvent
  | RollbackStartEvent
  | RollbackStepEvent
  | ServerRevertEvent
  | RollbackEndEvent
  | SummaryEvent;

/** Receives engine events; must not throw. */
export type EventSink = (event: EngineEvent) => void;
