/**
 * A step runs from its approved text, so code it loads from a file (dot-sourcing, `& x.ps1`,
 * `Import-Module ./x.psm1`) is code nobody approved. approve and verify refuse such scripts,
 * and such shared modules; the guarded import of a shared module the bundle ships is allowed
 * (shipped-module-imports.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listScriptModules, type ScriptModule } from '../playbook/script-modules.js';
import {
  findShippedModuleImports,
  isShippedModuleImport,
  type ShippedModuleImport,
} from '../playbook/shipped-module-imports.js';
import { findScriptReferences } from './script-references.js';

/** One place a script loads code from a file. */
export interface FileLoad {
  /** The script, by absolute path. */
  file: string;
  line: number;
  col: number;
  message: string;
}

/**
 * Where the scripts, and the shared modules they ship, load code from a file, found by PowerShell's
 * own parser (the parse service of psremedy's host) reading exactly the given text; where no host
 * can be built, by psremedy's own reading of the text (dot-sourcing, `&`, Import-Module and
 * `using module` of a path or `$PSScriptRoot`). A module's guarded import is no load when the
 * module is among those shipped.
 */
export async function findFileLoads(
  scripts: ReadonlyMap<string, { text: string; modules?: readonly ScriptModule[] }>,
): Promise<FileLoad[]> {
  const modules = listScriptModules(scripts.values());
  const shipped = new Set(modules.keys());
  const entries = [...scripts, ...modules].map(([file, { text }]) => ({
    file,
    text,
    imports: findShippedModuleImports(file, text, shipped),
  }));
  if (entries.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-parse-'));
  try {
    const copies = entries.map((entry, i) => {
      const copy = join(dir, `${i}.ps1`);
      writeFileSync(copy, entry.text, { mode: 0o600 });
      return copy;
    });
    let reports: Awaited<ReturnType<typeof import('../powershell/parse-scripts.js').parseScripts>>;
    try {
      const { parseScripts } = await import('../powershell/parse-scripts.js');
      reports = await parseScripts(copies);
    } catch {
      return entries.flatMap((entry) => readFileLoads(entry.file, withoutImports(entry.text, entry.imports)));
    }
    return reports.flatMap((report, i) => {
      const entry = entries[i];
      return report.fileLoads
        .filter((f) => !isShippedModuleImport(entry?.imports ?? [], f))
        .map((f) => ({ file: entry?.file ?? report.path, line: f.line, col: f.col, message: f.message }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text with the shipped imports blanked (same length, so positions stay). */
function withoutImports(text: string, imports: readonly ShippedModuleImport[]): string {
  let blanked = text;
  for (const i of imports)
    blanked = blanked.slice(0, i.start) + ' '.repeat(i.end - i.start) + blanked.slice(i.end);
  return blanked;
}

function readFileLoads(file: string, text: string): FileLoad[] {
  const found = findScriptReferences(text, file);
  const lines = text.split('\n');
  const lineOf = (path: string): number => {
    const name = path.split(/[\\/]/).pop() ?? path;
    const index = lines.findIndex((l) => l.includes(name));
    return index + 1 || 1;
  };
  return [
    ...found.paths.map((p) => ({ file, line: lineOf(p), col: 1, message: `loads code from the file ${p}` })),
    ...found.dynamic.map((d) => ({
      file,
      line: d.line,
      col: 1,
      message: `loads code from a computed path (${d.text})`,
    })),
  ];
}

/** `file:line:col: message` lines, the shape editors link to. */
export function formatFileLoads(loads: FileLoad[], relativeTo: (file: string) => string): string {
  return loads.map((l) => `${relativeTo(l.file)}:${l.line}:${l.col}: ${l.message}`).join('\n');
}
