/**
 * The records of `<stateDir>/runs/<runId>/journal.jsonl`: one JSON object per line, appended and
 * fsync'd before every change. Everything `psremedy rollback` and `psremedy resume` need is here,
 * so they work from the journal alone. Never a secret: params marked `secret` are left out
 * (`secretParams` names them) and `with` values built from them are kept as unevaluated templates.
 * Reports (src/report) and approvals (src/approval) read these types; change them only on purpose.
 */
import type { Finding, StepStatus } from '../core/step-status.js';
import type { TargetUnreachable } from '../core/unreachable.js';
import type { OutcomeStatus, ScriptError } from '../powershell/types.js';
import type {
  JournalParams,
  JournalScript,
  JournalTarget,
  RankedCause,
  RunCounts,
  RunOutcome,
} from './journal-values.js';

export type {
  JournalModule,
  JournalParams,
  JournalScript,
  JournalTarget,
  RankedCause,
  RunCounts,
  RunOutcome,
} from './journal-values.js';

/** The journal format version written into every record. */
export const JOURNAL_VERSION = 1;

interface RecordBase {
  /** Journal format version. */
  v: typeof JOURNAL_VERSION;
  /** Position in the journal, from 1. */
  seq: number;
  /** ISO 8601 time the record was written. */
  at: string;
}

/** First record: what ran, where, with what. */
export interface RunStartRecord extends RecordBase {
  type: 'run-start';
  runId: string;
  playbook: { file: string; name: string; title: string; sha256: string };
  /** Digest of every script and shared module the playbook can reach (absolute path -> sha256). */
  scripts: Record<string, string>;
  /** Non-secret param values after defaults. */
  params: Record<string, unknown>;
  /** Names of secret params (values never journaled). */
  secretParams: string[];
  targets: { client: JournalTarget; target: JournalTarget };
  options: {
    check: boolean;
    noRollback: boolean;
    yes: boolean;
    step: boolean;
    only?: string[];
    skip?: string[];
    startAt?: string;
  };
  psremedyVersion: string;
  pid: number;
  hostName: string;
  userName: string;
  /** Set when a lab scenario provided the target (`--lab`). */
  lab?: { scenario: string; statePaths: string[] };
}

/** An unattended run's approval as checked (written by src/approval through the `onStart` hook). */
export interface ApprovalRecord extends RecordBase {
  type: 'approval';
  /** What the approval engineer chooses to keep: key id, signer, digest, expiry, allowed steps... */
  details: Record<string, unknown>;
}

/** `psremedy resume` continued this run. */
export interface RunResumeRecord extends RecordBase {
  type: 'run-resume';
  pid: number;
  /** Steps already finished that will not run again. */
  finished: string[];
}

/** A step began (diagnose, fix, or a re-check of a diagnose step after a fix). */
export interface StepStartRecord extends RecordBase {
  type: 'step-start';
  stepId: string;
  kind: 'diagnose' | 'fix';
  title: string;
  on: 'client' | 'target';
  /** `recheck`: a diagnose step run again to learn whether a fix cleared its cause. */
  phase: 'diagnose' | 'fix' | 'recheck';
  /** A fix step's `fixes:` (the causes it remedies), so reports can say why a cause remains. */
  fixes?: string[];
}

/** A fix step's `test` before any change (or in --check). */
export interface TestRecord extends RecordBase {
  type: 'test';
  stepId: string;
  compliant: boolean | null;
  state: unknown;
}

/** The admin's (or policy's) answer for a step. */
export interface DecisionRecord extends RecordBase {
  type: 'decision';
  stepId: string;
  decision: 'apply' | 'skip' | 'abort' | 'keep' | 'revert';
  by: 'prompt' | 'yes' | 'policy' | 'timeout' | 'verify';
}

/**
 * Written and fsync'd BEFORE `apply` runs: everything needed to learn whether the change happened
 * (test script + before-state) and to undo it (undo script + params).
 */
export interface IntentRecord extends RecordBase {
  type: 'intent';
  stepId: string;
  title: string;
  on: 'client' | 'target';
  risk: 'low' | 'medium' | 'high' | 'disruptive';
  fixes: string[];
  params: JournalParams;
  /** The `test` result's `state` before the change. */
  before: unknown;
  test: JournalScript;
  apply: { path: string; sha256: string };
  undo: JournalScript | { none: string };
  timeoutMs: number;
}

/** `apply` returned. */
export interface AppliedRecord extends RecordBase {
  type: 'applied';
  stepId: string;
  changed: boolean;
  before: unknown;
  after: unknown;
  durationMs: number;
}

/** `apply` did not return normally; the change may be partial (rollback tests to find out). */
export interface ApplyFailedRecord extends RecordBase {
  type: 'apply-failed';
  stepId: string;
  status: Exclude<OutcomeStatus, 'ok'>;
  error?: ScriptError;
}

/** `test` run again after `apply`. */
export interface VerifyRecord extends RecordBase {
  type: 'verify';
  stepId: string;
  compliant: boolean | null;
  state: unknown;
}

/** A step finished. */
export interface StepEndRecord extends RecordBase {
  type: 'step-end';
  stepId: string;
  kind: 'diagnose' | 'fix';
  phase: 'diagnose' | 'fix' | 'recheck';
  status: StepStatus;
  durationMs: number;
  /** Why it was skipped, failed, or what --check concluded ("would change", "unknown impact"). */
  reason?: string;
  /** A diagnose step's returned object. */
  result?: unknown;
  findings?: Finding[];
  error?: ScriptError;
  /** Status `unreachable`: why its machine could not be reached. */
  unreachable?: TargetUnreachable;
}

/** A step's machine could not be reached for management (once per run and location). */
export interface TargetUnreachableRecord extends RecordBase, TargetUnreachable {
  type: 'target-unreachable';
  on: 'client' | 'target';
}

/** Causes ranked over all findings (after diagnosis, and after each re-check). */
export interface CausesRecord extends RecordBase {
  type: 'causes';
  ranked: RankedCause[];
}

/** How a server-side revert (revertUnlessConfirmed on a remote target) stands. */
export type ServerRevertOutcome = 'armed' | 'confirmed' | 'autoReverted' | 'revertUnverified';

/**
 * A fix with `revertUnlessConfirmed` on a remote target: `armed` is written (fsync) once the
 * target holds its one-shot revert task, BEFORE apply, so a crashed run still knows; one of the
 * other outcomes settles it (confirmed and the task removed; the server reverted itself and a
 * fresh test matches the before-state; or that could not be verified).
 */
export interface ServerRevertRecord extends RecordBase {
  type: 'server-revert';
  stepId: string;
  outcome: ServerRevertOutcome;
  /** The task (`\psremedy\revert-<run>-<step>`) and its folder on the target. */
  taskPath?: string;
  taskName?: string;
  folder?: string;
  /** When the target reverts unless confirmed (its own clock, UTC). */
  deadline?: string;
  /** The fresh test state when it was checked. */
  state?: unknown;
  note?: string;
  /** Settled in the run, or later by `psremedy rollback`. */
  by?: 'run' | 'command';
}

/** Rollback of this run's changes began (in the run, or by `psremedy rollback`). */
export interface RollbackStartRecord extends RecordBase {
  type: 'rollback-start';
  by: 'run' | 'command';
  reason: string;
  /** Steps to undo, in the order they will be undone. */
  steps: string[];
}

/** One undo is about to run (written before the undo script starts). */
export interface UndoStartRecord extends RecordBase {
  type: 'undo-start';
  stepId: string;
}

/** One undo finished, checked by a fresh `test` against the intent's before-state. */
export interface UndoEndRecord extends RecordBase {
  type: 'undo-end';
  stepId: string;
  status: 'rolledBack' | 'revertUnverified' | 'rollbackFailed';
  /** The fresh test state after the undo. */
  state?: unknown;
  /** e.g. "already in its before-state" when the change never happened. */
  note?: string;
  error?: ScriptError;
}

/** Rollback finished. */
export interface RollbackEndRecord extends RecordBase {
  type: 'rollback-end';
  status: 'rolledBack' | 'revertUnverified' | 'rollbackFailed';
}

/** Last record of a run that ended (a crashed run has none). */
export interface RunEndRecord extends RecordBase {
  type: 'run-end';
  outcome: RunOutcome;
  counts: RunCounts;
  /** Causes detected and not cleared. */
  remaining: string[];
  /** Fix steps that changed the target and were kept. */
  fixed: string[];
  /** Causes left unknown because diagnose steps they depend on did not run. */
  unknown?: string[];
  /** Diagnose steps that did not run (and fix steps skipped at a --step prompt). */
  notRun?: Array<{ stepId: string; status: string; reason?: string }>;
  /** False when no diagnose step was selected: nothing was diagnosed. */
  diagnosed?: boolean;
  durationMs: number;
}

/**
 * `psremedy runs --forget`: the admin has dealt with this unfinished run; it is no longer reported
 * as crashed (its journal stays, and `psremedy rollback` still undoes what it left in place).
 */
export interface RunForgottenRecord extends RecordBase {
  type: 'run-forgotten';
  pid: number;
  userName: string;
  /** Changes that may still be in place when it was forgotten. */
  pendingChanges: string[];
}

/** Any journal record. */
export type JournalRecord =
  | RunStartRecord
  | ApprovalRecord
  | RunResumeRecord
  | StepStartRecord
  | TestRecord
  | DecisionRecord
  | IntentRecord
  | AppliedRecord
  | ApplyFailedRecord
  | VerifyRecord
  | StepEndRecord
  | TargetUnreachableRecord
  | CausesRecord
  | RollbackStartRecord
  | UndoStartRecord
  | UndoEndRecord
  | ServerRevertRecord
  | RollbackEndRecord
  | RunEndRecord
  | RunForgottenRecord;

/** A record before the journal stamps `v`, `seq` and `at`. */
export type NewJournalRecord = JournalRecord extends infer R
  ? R extends JournalRecord
    ? Omit<R, 'v' | 'seq' | 'at'>
    : never
  : never;
