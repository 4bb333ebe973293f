import { dirname, isAbsolute, resolve } from 'node:path';

/** A reference a script makes to a file that static reading cannot resolve (a computed path). */
export interface DynamicReference {
  file: string;
  line: number;
  text: string;
}

/** The files one script reaches, as absolute paths, plus what could not be resolved. */
export interface ScriptReferences {
  paths: string[];
  dynamic: DynamicReference[];
}

// `$PSScriptRoot\x.ps1`, `${PSScriptRoot}/lib/x.psm1`, quoted or not.
const SCRIPT_ROOT_PATH = /\$\{?PSScriptRoot\}?((?:[\\/][^\s'"`;|,(){}<>]*)+)/gi;
// `Join-Path $PSScriptRoot 'x.ps1'` and `Join-Path -Path $PSScriptRoot -ChildPath x.ps1`.
const JOIN_PATH = /Join-Path\s+(?:-Path\s+)?\$\{?PSScriptRoot\}?\s+(?:-ChildPath\s+)?(['"]?)([^\s'"()]+)\1/gi;
// `. .\x.ps1`, `& ..\x.ps1`, `Import-Module .\x.psm1`, `using module ./x.psm1`, `. x.ps1`.
const COMMAND_PATH =
  /(?:^|[\s;({|])(?:\.|&|Import-Module|ipmo|using\s+module)\s+(?:-(?:Name|Path|LiteralPath)\s+)?(['"]?)(\.{1,2}[\\/][^\s'"`;|(){}]+|[\w.\\/-]+\.(?:ps1|psm1|psd1))\1/gim;
// In a module manifest: 'Helpers.psm1', "lib\x.ps1" (RootModule, NestedModules, ScriptsToProcess, ...).
const MANIFEST_PATH = /(['"])([^'"\r\n]+\.(?:ps1|psm1|psd1|ps1xml|cdxml|dll))\1/gi;

/** The file kinds whose text is read for further references. */
export function isScannedScript(path: string): boolean {
  return /\.(ps1|psm1|psd1)$/i.test(path);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function toLocalPath(psPath: string): string {
  return psPath.replace(/\\/g, '/').replace(/^\/+/, '');
}

/**
 * Finds the files a PowerShell script dot-sources, calls, imports or lists (in a manifest) by a
 * path relative to itself. Paths built from other variables are returned as `dynamic`: they are
 * not covered by an approval, and approve says so. Mentions in comments count too (harmless:
 * they only make the covered set larger).
 */
export function findScriptReferences(text: string, file: string): ScriptReferences {
  const dir = dirname(file);
  const paths = new Set<string>();
  const dynamic: DynamicReference[] = [];
  const add = (raw: string, index: number, fromScriptRoot = false): void => {
    if (raw.includes('$') || raw.includes('*')) {
      dynamic.push({ file, line: lineAt(text, index), text: raw });
      return;
    }
    const local = toLocalPath(raw);
    if (local) paths.add(!fromScriptRoot && isAbsolute(raw) ? resolve(raw) : resolve(dir, local));
  };
  for (const m of text.matchAll(SCRIPT_ROOT_PATH)) add(m[1] ?? '', m.index, true);
  for (const m of text.matchAll(JOIN_PATH)) add(m[2] ?? '', m.index, true);
  for (const m of text.matchAll(COMMAND_PATH)) add(m[2] ?? '', m.index);
  if (/\.psd1$/i.test(file)) for (const m of text.matchAll(MANIFEST_PATH)) add(m[2] ?? '', m.index);
  return { paths: [...paths].sort(), dynamic };
}
