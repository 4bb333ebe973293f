import { relative } from 'node:path';
import type { PlaybookProblem } from '../../../core/errors.js';
import { checkScriptParams } from '../../../playbook/check-script-params.js';
import { type LoadedPlaybook, listScriptModules } from '../../../playbook/index.js';
import { findShippedModuleImports, isShippedModuleImport } from '../../../playbook/shipped-module-imports.js';
import { findShouldProcessProblems } from './should-process-problems.js';

/** What PowerShell's parser said about the scripts of some playbooks, or why it could not run. */
export interface ScriptParseOutcome {
  /** Problems per playbook file (absolute path), each pointing into a script. */
  problems: Map<string, PlaybookProblem[]>;
  /** Set when no PowerShell engine could parse the scripts (a warning, not an error). */
  skipped?: string;
}

/**
 * Parses every script of the given playbooks, and the modules they declare, once with PowerShell's
 * own parser (psremedy's host), reporting syntax errors, syntax that Windows PowerShell 5.1 lacks
 * and code loaded from a file (which would not be the approved text; a shipped module's guarded
 * import is none), at the file's line:col, fix steps whose apply or undo script does not support
 * ShouldProcess, then checks each step's `with:` against the `param()` blocks the parser read.
 */
export async function parsePlaybookScripts(playbooks: LoadedPlaybook[]): Promise<ScriptParseOutcome> {
  const owners = new Map<string, LoadedPlaybook[]>();
  for (const playbook of playbooks)
    for (const script of [...playbook.scripts.keys(), ...listScriptModules(playbook.scripts.values()).keys()])
      owners.set(script, [...(owners.get(script) ?? []), playbook]);
  const problems = new Map<string, PlaybookProblem[]>();
  if (owners.size === 0) return { problems };
  let reports: Awaited<ReturnType<typeof import('../../../powershell/parse-scripts.js').parseScripts>>;
  try {
    const { parseScripts } = await import('../../../powershell/parse-scripts.js');
    reports = await parseScripts([...owners.keys()]);
  } catch (error) {
    return { problems, skipped: (error as Error).message };
  }
  const byPath = new Map(reports.map((r) => [r.path, r]));
  for (const playbook of playbooks) {
    const found = findShouldProcessProblems(playbook, byPath);
    if (found.length > 0) problems.set(playbook.file, [...(problems.get(playbook.file) ?? []), ...found]);
  }
  for (const report of reports) {
    const file = relative(process.cwd(), report.path) || report.path;
    const found: PlaybookProblem[] = [
      ...report.errors.map((f) => ({
        file,
        line: f.line,
        col: f.col,
        path: '',
        message: `PowerShell syntax error (${f.id}): ${f.message}`,
        severity: 'error' as const,
      })),
      ...report.ps7Only.map((f) => ({
        file,
        line: f.line,
        col: f.col,
        path: '',
        message: `${f.message} (scripts must also run on Windows PowerShell 5.1)`,
        severity: 'error' as const,
      })),
    ];
    for (const playbook of owners.get(report.path) ?? []) {
      const loads = fileLoadProblems(playbook, report, file);
      if (found.length + loads.length > 0)
        problems.set(playbook.file, [...(problems.get(playbook.file) ?? []), ...found, ...loads]);
    }
  }
  const declared = new Map(reports.map((r) => [r.path, r.parameters ?? undefined] as const));
  for (const playbook of playbooks) {
    const file = relative(process.cwd(), playbook.file) || playbook.file;
    const found = checkScriptParams(playbook, file, (path) => declared.get(path));
    if (found.length > 0) problems.set(playbook.file, [...(problems.get(playbook.file) ?? []), ...found]);
  }
  return { problems };
}

/** The file loads of one parsed file of `playbook`, less the guarded imports of modules it ships. */
function fileLoadProblems(
  playbook: LoadedPlaybook,
  report: { path: string; fileLoads: { line: number; col: number; message: string }[] },
  file: string,
): PlaybookProblem[] {
  if (report.fileLoads.length === 0) return [];
  const modules = listScriptModules(playbook.scripts.values());
  const text = playbook.scripts.get(report.path)?.text ?? modules.get(report.path)?.text ?? '';
  const imports = findShippedModuleImports(report.path, text, new Set(modules.keys()));
  return report.fileLoads
    .filter((f) => !isShippedModuleImport(imports, f))
    .map((f) => ({
      file,
      line: f.line,
      col: f.col,
      path: '',
      message: f.message,
      severity: 'error' as const,
    }));
}
