import type { PowerShellExecutable } from './powershell-process.js';
import { PowerShellSession } from './powershell-session.js';
import type { SessionOptions } from './session-options.js';
import type { Session, TargetSpec } from './types.js';

/**
 * Opens a persistent session on a target: starts PowerShell (and for a remote target its
 * New-PSSession) before answering, so a missing PowerShell or an unreachable target throws here.
 */
export async function openSession(target: TargetSpec, options: SessionOptions = {}): Promise<Session> {
  const session = new PowerShellSession(target, await resolvePowerShell(options), options);
  await session.start();
  return session;
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
