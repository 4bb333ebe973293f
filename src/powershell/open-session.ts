import type { PowerShellExecutable } from './powershell-process.js';
import { PowerShellSession } from './powershell-session.js';
import { describeTarget, type SessionOptions } from './session-options.js';
import type { Session, TargetSpec } from './types.js';

/**
 * Opens a persistent session on a target: starts PowerShell (and for a remote target its
 * New-PSSession) before answering, so a missing PowerShell or an unreachable target throws here
 * (TargetUnreachableError with the reason). A failed open leaves no process behind: a PowerShell
 * left running would keep Node alive after the run. Aborting `signal` kills an open in progress.
 */
export async function openSession(
  target: TargetSpec,
  options: SessionOptions = {},
  signal?: AbortSignal,
): Promise<Session> {
  const session = new PowerShellSession(target, await resolvePowerShell(options), options);
  const abort = () => void session.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    if (signal?.aborted) throw new Error(`opening the session to ${describeTarget(target)} was interrupted`);
    await session.start();
    return session;
  } catch (error) {
    await session.close();
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** The PowerShell the options name, or the one discovery finds. */
export async function resolvePowerShell(options: SessionOptions): Promise<PowerShellExecutable> {
  if (options.powershell) return options.powershell;
  // A variable specifier until find-powershell.ts (the host engineer's) lands in the tree.
  const discovery = './find-powershell.js';
  const { findPowerShell } = (await import(discovery)) as {
    findPowerShell: () => Promise<PowerShellExecutable>;
  };
  return findPowerShell();
}
