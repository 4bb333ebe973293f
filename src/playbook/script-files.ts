import { resolve } from 'node:path';
import { listOf } from './check-references.js';
import type { ProblemList } from './problem-list.js';
import { isTextFile, readTextFile } from './read-text-file.js';
import { isPlainObject } from './schema-problems.js';
import { readScriptModules, type ScriptModule } from './script-modules.js';

/** The parts of a step that name a script. */
export type ScriptRole = 'script' | 'test' | 'apply' | 'undo';

/** A script read once at load: the engine runs exactly this text; approvals hash these bytes. */
export interface ScriptFile {
  /** The text, without a UTF-8 BOM. */
  text: string;
  /** SHA-256 (hex) of the file's exact bytes. */
  sha256: string;
  /** The shared modules it declares, in load order, read with it (absent: none). */
  modules?: ScriptModule[];
}

/** Scripts larger than this are refused (they are text, not payloads). */
export const MAX_SCRIPT_BYTES = 1024 * 1024;

const ROLES: readonly ScriptRole[] = ['script', 'test', 'apply', 'undo'];

/** Resolves a script path the way Ansible does: relative to the playbook's folder (`\` works too). */
export function resolveScriptPath(dir: string, scriptPath: string): string {
  const portable = process.platform === 'win32' ? scriptPath : scriptPath.replaceAll('\\', '/');
  return resolve(dir, portable);
}

/** Reads every script the steps name, once each, reporting missing or unreadable ones. */
export async function readStepScripts(
  data: Record<string, unknown>,
  dir: string,
  problems: ProblemList,
): Promise<Map<string, ScriptFile>> {
  const wanted = new Map<string, Array<Array<string | number>>>();
  listOf(data.steps).forEach((step, index) => {
    if (!isPlainObject(step)) return;
    for (const role of ROLES) {
      const value = step[role];
      if (typeof value !== 'string' || value === '') continue;
      const path = ['steps', index, role];
      if (!/\.ps1$/i.test(value)) {
        problems.add(path, `"${value}" is not a .ps1 script`, 'steps run PowerShell script files (.ps1)');
        continue;
      }
      const absolute = resolveScriptPath(dir, value);
      wanted.set(absolute, [...(wanted.get(absolute) ?? []), path]);
    }
  });
  const scripts = new Map<string, ScriptFile>();
  const moduleCache = new Map<string, Promise<ScriptModule | string>>();
  await Promise.all(
    [...wanted].map(async ([absolute, paths]) => {
      const read = await readTextFile(absolute, MAX_SCRIPT_BYTES);
      if (isTextFile(read)) {
        const found = await readScriptModules(absolute, read.text, moduleCache);
        for (const problem of found.problems)
          for (const path of paths)
            problems.add(
              path,
              `cannot use the module ${problem.module} that ${problem.declaredIn} imports: ${problem.message}`,
              'shared modules live beside the scripts (ps-scripts/lib/*.psm1); see ps-scripts/lib/README.md',
            );
        const modules = found.modules.length > 0 ? { modules: found.modules } : {};
        scripts.set(absolute, { text: read.text, sha256: read.sha256, ...modules });
        return;
      }
      for (const path of paths) {
        const hint = read.message === 'it does not exist' ? `looked for ${absolute}` : read.hint;
        const where = read.at ? ` at line ${read.at.line}, column ${read.at.col} of the script` : '';
        problems.add(path, `cannot read the script: ${read.message}${where}`, hint);
      }
    }),
  );
  return new Map([...scripts].sort(([a], [b]) => a.localeCompare(b)));
}
