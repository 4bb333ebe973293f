/**
 * The shared PowerShell modules a script declares. A script names each module it uses with one
 * guarded import, which runs only when the script is run alone (beside its `lib/` folder):
 *
 *   if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }
 *
 * psremedy reads those files once, with the script, and sends their text to the session, which
 * defines them before the script runs; the import is then skipped, so nothing is looked up on disk.
 */
import { basename, dirname, resolve } from 'node:path';
import { isTextFile, readTextFile } from './read-text-file.js';

/** A module as read once: the session defines it from `text` under `name`. */
export interface ScriptModule {
  /** The module name: the file name without `.psm1`. */
  name: string;
  /** Absolute path of the .psm1 file. */
  path: string;
  /** SHA-256 (hex) of the file's exact bytes. */
  sha256: string;
  /** The text, without a UTF-8 BOM. */
  text: string;
}

/** A declared module that could not be read, with the path as the script wrote it. */
export interface ModuleProblem {
  /** The file whose declaration names the module. */
  declaredIn: string;
  module: string;
  message: string;
}

/** What reading a script's modules found: the modules in load order (a module before its users). */
export interface ScriptModules {
  modules: ScriptModule[];
  problems: ModuleProblem[];
}

/** Modules are small text files, as scripts are. */
const MAX_MODULE_BYTES = 1024 * 1024;

const DECLARATION =
  /^[ \t]*if \(-not \(Get-Module -Name ([\w.-]+)\)\) \{ Import-Module -Name \(Join-Path \$PSScriptRoot '([^'$]+\.psm1)'\) \}[ \t]*$/gim;

/** One declaration: the module name it guards on and the path it imports, relative to the file. */
export interface ModuleDeclaration {
  name: string;
  relativePath: string;
  /** Where the declaration starts in the text, and its text (without the line end). */
  index: number;
  text: string;
}

/** The module declarations in a script's or module's text, in order. */
export function findModuleDeclarations(text: string): ModuleDeclaration[] {
  return [...text.matchAll(DECLARATION)].map((m) => ({
    name: m[1] ?? '',
    relativePath: m[2] ?? '',
    index: m.index,
    text: m[0],
  }));
}

/** The module file a declaration names, resolved as `$PSScriptRoot` does: beside the declaring file. */
export function resolveModulePath(declaredIn: string, relativePath: string): string {
  return resolve(dirname(declaredIn), relativePath.replaceAll('\\', '/'));
}

/**
 * Reads the modules `text` (the file at `file`) declares, and the modules those declare, each once
 * (`cache` is shared across the scripts of a playbook). Dependencies come first in the list.
 */
export async function readScriptModules(
  file: string,
  text: string,
  cache: Map<string, Promise<ScriptModule | string>> = new Map(),
): Promise<ScriptModules> {
  const modules: ScriptModule[] = [];
  const problems: ModuleProblem[] = [];
  const visiting = new Set<string>();
  const placed = new Set<string>();
  const visit = async (declaredIn: string, declaringText: string): Promise<void> => {
    for (const declaration of findModuleDeclarations(declaringText)) {
      const path = resolveModulePath(declaredIn, declaration.relativePath);
      const problem = (message: string) =>
        problems.push({ declaredIn, module: declaration.relativePath, message });
      if (basename(path).replace(/\.psm1$/i, '') !== declaration.name) {
        problem(
          `the guard names ${declaration.name}, but the file defines module ${basename(path, '.psm1')}`,
        );
        continue;
      }
      if (placed.has(path)) continue;
      if (visiting.has(path)) {
        problem('the modules import each other in a cycle');
        continue;
      }
      let reading = cache.get(path);
      if (!reading) {
        reading = readModule(path, declaration.name);
        cache.set(path, reading);
      }
      const read = await reading;
      if (typeof read === 'string') {
        problem(read);
        continue;
      }
      visiting.add(path);
      await visit(path, read.text);
      visiting.delete(path);
      placed.add(path);
      modules.push(read);
    }
  };
  await visit(file, text);
  return { modules, problems };
}

async function readModule(path: string, name: string): Promise<ScriptModule | string> {
  const read = await readTextFile(path, MAX_MODULE_BYTES);
  if (!isTextFile(read))
    return read.message === 'it does not exist' ? `${path} does not exist` : read.message;
  return { name, path, sha256: read.sha256, text: read.text };
}

/** Every module a set of scripts uses, once each, by absolute path. */
export function listScriptModules(
  scripts: Iterable<{ modules?: readonly ScriptModule[] }>,
): Map<string, ScriptModule> {
  const all = new Map<string, ScriptModule>();
  for (const script of scripts) for (const module of script.modules ?? []) all.set(module.path, module);
  return new Map([...all].sort(([a], [b]) => a.localeCompare(b)));
}
