/** Errors that cross a boundary carry data; src/cli turns them into words and exit codes. */
import type { TargetUnreachable } from './unreachable.js';

/** Where in a playbook file a problem is. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** One problem in a playbook: where, which dotted path, what is wrong and what to do. */
export interface PlaybookProblem extends SourcePosition {
  /** Dotted path into the document, e.g. `steps.2.timeout` ('' for the whole file). */
  path: string;
  message: string;
  /** What to do about it, when there is something useful to say. */
  hint?: string;
  severity: 'error' | 'warning';
}

/** A playbook (or params for it) that cannot be used; carries every problem found. */
export class PlaybookError extends Error {
  override readonly name = 'PlaybookError';
  constructor(
    readonly file: string,
    readonly problems: PlaybookProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s)`);
  }
}

/** Bad command-line input (a param, a flag combination); exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** PowerShell could not be found, started or talked to (not a script's own failure). */
export class PowerShellError extends Error {
  override readonly name: string = 'PowerShellError';
  constructor(
    message: string,
    readonly details: { tried?: string[]; exitCode?: number | null; stderr?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A target's PowerShell session could not be opened (or reopened): carries the classified reason. */
export class TargetUnreachableError extends PowerShellError {
  override readonly name = 'TargetUnreachableError';
  constructor(
    message: string,
    readonly unreachable: TargetUnreachable,
  ) {
    super(message);
  }
}

/** An unattended run refused by its approval or policy; exit 4. */
export class ApprovalError extends Error {
  override readonly name = 'ApprovalError';
  constructor(
    message: string,
    /** Machine-readable reason, e.g. `digest-mismatch`, `expired`, `param-outside-policy`. */
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The user stopped the run (abort at a prompt, Ctrl+C). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}
