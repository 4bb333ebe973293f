/**
 * The values journal records carry (targets, scripts with their modules, params, ranked causes,
 * outcomes, counts), apart from the records themselves (journal-records.ts), which re-exports them.
 */
import type { TargetSpec } from '../powershell/types.js';

/** A target as journaled: the spec without any credential. */
export type JournalTarget =
  | { kind: 'local' }
  | Extract<TargetSpec, { kind: 'ssh' }>
  | Omit<Extract<TargetSpec, { kind: 'winrm' }>, 'credential'>;

/** A shared module as journaled with a script: rollback and resume send these bytes again. */
export interface JournalModule {
  name: string;
  path: string;
  sha256: string;
  text: string;
}

/** A script as journaled for an undo: its path (for messages), digest, full text and modules. */
export interface JournalScript {
  path: string;
  sha256: string;
  text: string;
  /** The shared modules it declares, in load order (absent: none, or a journal from before modules). */
  modules?: JournalModule[];
}

/**
 * Parameters a script was (or will be) called with. A value whose template used a secret param is
 * kept as `{ $template: "${{ params.X }}" }` and evaluated again from `--param` on rollback.
 */
export type JournalParams = Record<string, unknown>;

/** A cause as ranked over all findings. */
export interface RankedCause {
  cause: string;
  title: string;
  /** Combined confidence 0..1 (independent findings combine as 1 - prod(1 - c)). */
  confidence: number;
  /** How many diagnose steps reported this cause with confidence above 0. */
  agreeing: number;
  detected: boolean;
  /** The evidence of each agreeing finding, strongest first, with the step that found it. */
  evidence: Array<{ stepId: string; confidence: number; evidence: string }>;
  /**
   * Set when the cause is unknown: its evidence depends on these diagnose steps, which did not run
   * (skipped, failed, not selected). An unknown cause is never detected.
   */
  unknownBecause?: string[];
}

/**
 * How a run ended. `cancelled` = Ctrl+C; `rolledBack` = its changes were undone and verified;
 * `unreachable` = the target could not be reached for management, so its side was not (fully)
 * inspected or fixed and problems may remain.
 */
export type RunOutcome = 'ok' | 'changed' | 'problemsRemain' | 'unreachable' | 'rolledBack' | 'cancelled';

/** Counts of the final step states, for the summary. */
export interface RunCounts {
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  rolledBack: number;
  revertUnverified: number;
  rollbackFailed: number;
  /** Steps that did not run because their machine could not be reached (absent in older journals). */
  unreachable?: number;
}
