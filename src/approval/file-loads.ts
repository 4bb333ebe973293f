/**
 * A step runs from its approved text, so code it loads from a file (dot-sourcing, `& x.ps1`,
 * `Import-Module ./x.psm1`) is code nobody approved. approve and verify refuse such scripts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * Where the scripts load code from a file, found by PowerShell's own parser (the parse service of
 * psremedy's host) reading exactly the given text; where no host can be built, by psremedy's own
 * reading of the text (dot-sourcing, `&`, Import-Module and `using module` of a path or `$PSScriptRoot`).
 */
export async function findFileLoads(scripts: ReadonlyMap<string, { text: string }>): Promise<FileLoad[]> {
  const entries = [...scripts];
  if (entries.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-parse-'));
  try {
    const copies = entries.map(([, script], i) => {
      const copy = join(dir, `${i}.ps1`);
      writeFileSync(copy, script.text, { mode: 0o600 });
      return copy;
    });
    let reports: Awaited<ReturnType<typeof import('../powershell/parse-scripts.js').parseScripts>>;
    try {
      const { parseScripts } = await import('../powershell/parse-scripts.js');
      reports = await parseScripts(copies);
    } catch {
      return entries.flatMap(([file, script]) => readFileLoads(file, script.text));
    }
    return reports.flatMap((report, i) =>
      report.fileLoads.map((f) => ({
        file: entries[i]?.[0] ?? report.path,
        line: f.line,
        col: f.col,
        message: f.message,
      })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
