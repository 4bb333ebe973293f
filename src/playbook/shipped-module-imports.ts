/**
 * The one load of code from a file a step script (or shared module) may keep: the guarded import
 * of a shared module (script-modules.ts) that psremedy read beside it and ships from the loaded
 * bytes. At run time the session has defined that module before the script runs, so `Get-Module`
 * finds it and the `Import-Module` never runs; were it not sent, `Join-Path` fails on the
 * `psremedy-approved:` drive of `$PSScriptRoot` and nothing is looked up on disk.
 * Every other load of a file (and this line for a module psremedy did not read) stays refused.
 */
import { findModuleDeclarations, resolveModulePath } from './script-modules.js';

/** Where the `Import-Module` of one shipped declaration stands, as PowerShell's parser counts. */
export interface ShippedModuleImport {
  /** 1-based line (`\r\n`, `\r` and `\n` each end a line, as in PowerShell). */
  line: number;
  /** 1-based column of `Import-Module`. */
  col: number;
  /** The declaration's span in the text (start inclusive, end exclusive). */
  start: number;
  end: number;
}

/**
 * The declarations in `text` (the file at `file`) whose module is one of `shipped` (absolute
 * paths of the modules psremedy read and sends), with the position of their `Import-Module`.
 */
export function findShippedModuleImports(
  file: string,
  text: string,
  shipped: ReadonlySet<string>,
): ShippedModuleImport[] {
  return findModuleDeclarations(text)
    .filter((d) => shipped.has(resolveModulePath(file, d.relativePath)))
    .map((d) => {
      // `{ Import-Module`: the module name before it may itself read `Import-Module`.
      const at = d.index + d.text.search(/\{ Import-Module/i) + 2;
      const before = text.slice(0, at);
      const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
      return {
        line: (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1,
        col: at - lineStart + 1,
        start: d.index,
        end: d.index + d.text.length,
      };
    });
}

/** Whether a parser finding at `line`:`col` is the `Import-Module` of one of `imports`. */
export function isShippedModuleImport(
  imports: readonly ShippedModuleImport[],
  finding: { line: number; col: number },
): boolean {
  return imports.some((i) => i.line === finding.line && i.col === finding.col);
}
