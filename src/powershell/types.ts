import type { TargetUnreachable } from '../core/unreachable.js';

/**
 * The contract between the engine and PowerShell. Sessions run one script at a time and answer
 * every request with a ScriptOutcome: they never throw for a script's own failure.
 */

/** How to reach the machine a step runs on. */
export type TargetSpec =
  | { kind: 'local' }
  | {
      kind: 'ssh';
      hostName: string;
      port?: number;
      userName?: string;
      keyFilePath?: string;
      /** Passed as New-PSSession -Options (e.g. StrictHostKeyChecking); BatchMode and ConnectTimeout default. */
      sshOptions?: Record<string, string>;
    }
  | {
      kind: 'winrm';
      computerName: string;
      port?: number;
      useSsl?: boolean;
      /** Resolved by the caller from a prompt, a credential file or the environment; never logged. */
      credential?: { userName: string; password: string };
    };

/** A shared module a script uses, defined in the session from this text before the script runs. */
export interface RequestModule {
  /** The name the script's guarded import asks `Get-Module` for. */
  name: string;
  /** SHA-256 of the module's bytes: a session defines each version once. */
  sha256: string;
  text: string;
}

/** One script invocation. */
export interface ScriptRequest {
  /** The script's text (the bytes of the .ps1; never built by string interpolation). */
  script: string;
  /** The modules it declares, dependencies first; a session sends each one only once. */
  modules?: readonly RequestModule[];
  /** Where the script came from, for messages (file:line). */
  scriptPath?: string;
  /** Named parameters, splatted as data. */
  params: Record<string, unknown>;
  /** Kill and replace the session when the script runs longer than this. */
  timeoutMs: number;
  /** Run with -WhatIf (preview). */
  whatIf?: boolean;
}

/** Why a request did not succeed, as PowerShell reported it. */
export interface ScriptError {
  message: string;
  type?: string;
  category?: string;
  fullyQualifiedErrorId?: string;
  scriptStackTrace?: string;
  /** Line in the script where it failed. */
  line?: number;
  /** What the script threw, when it threw an object (`throw [pscustomobject]@{...}`), as data. */
  thrownObject?: unknown;
}

/**
 * How a request ended: `connectionLost` when the target's connection dropped under it, `unreachable`
 * when its session could not be opened or reopened (the script never ran).
 */
export type OutcomeStatus = 'ok' | 'failed' | 'timedOut' | 'connectionLost' | 'unreachable';

/** The one shape a request answers with, success or failure. */
export interface ScriptOutcome {
  status: OutcomeStatus;
  /** The script's one returned object (the last output object), as JSON data. */
  result: unknown;
  error?: ScriptError;
  warnings: string[];
  verbose: string[];
  information: string[];
  durationMs: number;
  /** True when the session was killed/replaced while serving this request (state lost). */
  sessionReset: boolean;
  /** Other stdout/stderr text, kept for --verbose; never decides success. */
  diagnostics: string;
  /** Every output object in order, present only when the script wrote more than one. */
  output?: unknown[];
  /** Non-terminating errors the script wrote without stopping (rare: scripts run with Stop). */
  nonTerminatingErrors?: string[];
  /** With `whatIf`: the lines PowerShell printed to its host ("What if: ..."). */
  whatIf?: string[];
  /** With status `unreachable`: why the target's session could not be opened. */
  unreachable?: TargetUnreachable;
  /**
   * With `whatIf`: the script does not declare SupportsShouldProcess, so no preview could be made
   * safely and the script was not run at all.
   */
  noPreview?: true;
}

/** A persistent PowerShell session on one machine. */
export interface Session {
  readonly target: TargetSpec;
  run(request: ScriptRequest): Promise<ScriptOutcome>;
  close(): Promise<void>;
}
