/**
 * The PowerShell side of the script protocol lives in `envelope.ps1` beside this file, so the
 * parser and the 5.1 syntax check cover it like any script. The path is the same from
 * src/powershell (tsx) and dist/powershell (the built CLI): both sit two folders below the root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The file name a step's script block carries (envelope.ps1 names it the same): a drive no one can
 * create, so no path built from `$PSScriptRoot` or `$PSCommandPath` resolves.
 */
export const APPROVED_SCRIPT_NAME = 'psremedy-approved:/script.ps1';

/** The envelope's file. */
export const ENVELOPE_FILE = fileURLToPath(new URL('../../src/powershell/envelope.ps1', import.meta.url));

let source: string | undefined;

/** The envelope's text (read once per process, without a BOM). */
export function readEnvelopeSource(): string {
  source ??= readFileSync(ENVELOPE_FILE, 'utf8').replace(/^\uFEFF/, '');
  return source;
}
