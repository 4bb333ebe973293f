import { findPowerShell } from '../../src/powershell/find-powershell.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';

/** The real PowerShell the tests run: what psremedy's own discovery finds (building the host if needed). */
export function findTestPowerShell(): Promise<PowerShellExecutable> {
  return findPowerShell();
}
