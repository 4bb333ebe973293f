import { dirname, resolve } from 'node:path';
import { PlaybookError, type PlaybookProblem } from '../core/errors.js';
import { checkPlaybookExpressions } from './check-expressions.js';
import { checkStepNeeds } from './check-needs.js';
import { checkParamDefinitions } from './check-params.js';
import { checkFixesReferences, collectDeclaredNames } from './check-references.js';
import { ProblemList } from './problem-list.js';
import { isTextFile, MAX_PLAYBOOK_BYTES, readTextFile } from './read-text-file.js';
import { readYamlData } from './read-yaml-data.js';
import { Playbook, type PlaybookDoc, type StepDoc } from './schema.js';
import { addSchemaProblems, describeValue, isPlainObject } from './schema-problems.js';
import { readStepScripts, resolveScriptPath, type ScriptFile, type ScriptRole } from './script-files.js';
import { parseYamlSource } from './yaml-source.js';

/** A playbook that passed every check, with the text of every script it uses, read once. */
export interface LoadedPlaybook {
  /** Absolute path of the playbook file. */
  file: string;
  /** Its folder; script paths are relative to it. */
  dir: string;
  /** The YAML text (without a UTF-8 BOM). */
  source: string;
  /** SHA-256 (hex) of the playbook file's exact bytes. */
  sha256: string;
  doc: PlaybookDoc;
  /** Every script the steps name, by absolute path. */
  scripts: Map<string, ScriptFile>;
  /** Problems that do not stop the playbook (e.g. a required param with a default). */
  warnings: PlaybookProblem[];
  /** The absolute path of one of a step's scripts; throws when the step has no such script. */
  scriptPath(step: StepDoc, role: ScriptRole): string;
}

/** Options for {@link loadPlaybook}. */
export interface LoadOptions {
  /** Refuse playbook files larger than this (default 1 MiB). */
  maxBytes?: number;
}

/**
 * Reads, parses and checks a playbook and reads its scripts. Throws a PlaybookError carrying
 * every problem found (file:line:col, dotted path, message, hint), never just the first.
 */
export async function loadPlaybook(file: string, options: LoadOptions = {}): Promise<LoadedPlaybook> {
  const absolute = resolve(file);
  const dir = dirname(absolute);
  const read = await readTextFile(absolute, options.maxBytes ?? MAX_PLAYBOOK_BYTES);
  if (!isTextFile(read)) {
    const problems = new ProblemList(file);
    problems.addAt(
      read.at ?? { line: 1, col: 1 },
      '',
      `cannot read the playbook: ${read.message}`,
      read.hint,
    );
    throw new PlaybookError(file, problems.items);
  }
  const source = parseYamlSource(read.text);
  const problems = new ProblemList(file, source);
  const data = readYamlData(source, problems);
  if (problems.hasErrors) throw new PlaybookError(file, problems.sorted());
  if (!isPlainObject(data)) {
    const empty = data === null || data === undefined;
    problems.addAt(
      { line: 1, col: 1 },
      '',
      empty ? 'the file is empty' : `a playbook is a map of keys, not ${describeValue(data)}`,
      'a playbook starts with apiVersion: psremedy/v1, name:, title: and steps:',
    );
    throw new PlaybookError(file, problems.items);
  }
  const parsed = Playbook.safeParse(data);
  if (!parsed.success) addSchemaProblems(parsed.error.issues, data, source, problems);
  const names = collectDeclaredNames(data, problems);
  checkParamDefinitions(data.params, problems);
  checkFixesReferences(data, names, problems);
  checkStepNeeds(data, names, problems);
  checkPlaybookExpressions(data, names, source, problems);
  const scripts = await readStepScripts(data, dir, problems);
  if (problems.hasErrors || !parsed.success) throw new PlaybookError(file, problems.sorted());
  return {
    file: absolute,
    dir,
    source: read.text,
    sha256: read.sha256,
    doc: parsed.data,
    scripts,
    warnings: problems.sorted(),
    scriptPath: (step, role) => scriptPathOf(dir, step, role),
  };
}

function scriptPathOf(dir: string, step: StepDoc, role: ScriptRole): string {
  const value = (step as Partial<Record<ScriptRole, unknown>>)[role];
  if (typeof value !== 'string') throw new Error(`step "${step.id}" has no ${role} script`);
  return resolveScriptPath(dir, value);
}
