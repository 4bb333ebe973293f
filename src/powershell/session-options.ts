import type { PowerShellExecutable } from './powershell-process.js';
import type { TargetSpec } from './types.js';

/** How sessions start PowerShell and how long they wait. */
export interface SessionOptions {
  /** Which PowerShell to run (findPowerShell()'s answer); found automatically when omitted. */
  powershell?: PowerShellExecutable;
  /** Used for a request whose timeoutMs is 0 or missing. Default 5 minutes. */
  defaultTimeoutMs?: number;
  /** Extra environment for the local PowerShell process (e.g. a stand-in `ssh` first on PATH). */
  env?: Record<string, string | undefined>;
  /** Script files dot-sourced (.ps1) or imported (.psm1) into the local (`on: client`) session at start. */
  startupScripts?: string[];
  /** PowerShell noise (stray stdout, stderr, process events) for --verbose; never credentials. */
  onDiagnostics?: (text: string, target: string) => void;
  /** How long a new process may take to answer its first line. Default 60 s. */
  startupTimeoutMs?: number;
  /** How long opening a remote session may take (New-PSSession and the envelope). Default 30 s. */
  connectTimeoutMs?: number;
  /** How long a timed-out remote script may take to stop on the target. Default 2 s. */
  stopGraceMs?: number;
}

/** A target for messages and diagnostics: never carries credentials. */
export function describeTarget(target: TargetSpec): string {
  if (target.kind === 'local') return 'local';
  if (target.kind === 'ssh') {
    const user = target.userName ? `${target.userName}@` : '';
    return `ssh://${user}${target.hostName}${target.port ? `:${target.port}` : ''}`;
  }
  const user = target.credential ? `${target.credential.userName}@` : '';
  const scheme = target.useSsl ? 'winrm+https' : 'winrm';
  return `${scheme}://${user}${target.computerName}${target.port ? `:${target.port}` : ''}`;
}
