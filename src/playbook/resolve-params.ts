import { PlaybookError, UsageError } from '../core/errors.js';
import { compileParamPattern } from './check-params.js';
import { didYouMean } from './did-you-mean.js';
import type { LoadedPlaybook } from './load-playbook.js';
import { ProblemList } from './problem-list.js';
import { isTextFile, readTextFile } from './read-text-file.js';
import { readYamlData } from './read-yaml-data.js';
import type { ParamDoc } from './schema.js';
import { describeValue, isPlainObject } from './schema-problems.js';
import { parseYamlSource, positionOfPath } from './yaml-source.js';

/** A resolved param value, typed as its declaration says. */
export type ParamValue = string | number | boolean;

const TRUE_WORDS = new Set(['true', '$true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', '$false', 'no', 'n', '0', 'off']);

/** Splits repeated `--param K=V` options into a map; the value may itself hold `=`. */
export function parseParamAssignments(assignments: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0)
      throw new UsageError(`--param "${assignment}" is not NAME=VALUE (e.g. --param ComputerName=srv01)`);
    // defineProperty: `__proto__=x` must become a param named __proto__ (refused later), not a prototype.
    Object.defineProperty(out, assignment.slice(0, equals).trim(), {
      value: assignment.slice(equals + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Gives every param its value: `raw` (from --param) wins over the params file, which wins over
 * the default. Converts and checks each (int, bool, enum, pattern, required) and throws a
 * UsageError naming every bad param and what was expected.
 */
export async function resolveParams(
  playbook: LoadedPlaybook,
  raw: Record<string, string>,
  paramsFile?: string,
): Promise<Record<string, ParamValue>> {
  const declared = playbook.doc.params;
  const given = new Map<string, { value: unknown; from: string }>();
  if (paramsFile !== undefined) {
    for (const [name, value] of Object.entries(await readParamsFile(paramsFile)))
      given.set(name, { value, from: paramsFile });
  }
  for (const [name, value] of Object.entries(raw)) given.set(name, { value, from: `--param ${name}` });

  const errors: string[] = [];
  const resolved: Record<string, ParamValue> = {};
  for (const [name, { from }] of given) {
    // Own names only: `toString`, `constructor` and `__proto__` are not params of any playbook.
    if (Object.hasOwn(declared, name)) continue;
    const names = Object.keys(declared);
    const suggestion = didYouMean(name, names);
    errors.push(
      `${from}: the playbook has no param "${name}"${suggestion ? `; ${suggestion}` : ''}` +
        ` (it takes: ${names.length > 0 ? names.join(', ') : 'no params'})`,
    );
  }
  for (const [name, definition] of Object.entries(declared)) {
    const entry = given.get(name);
    if (entry === undefined) {
      if (definition.default !== undefined) resolved[name] = definition.default;
      else if (definition.required)
        errors.push(
          `missing required param ${name}: expected ${describeType(definition)}` +
            `${definition.description ? ` (${definition.description})` : ''}; pass --param ${name}=<value>`,
        );
      continue;
    }
    const converted = convertParam(definition, entry.value);
    if ('value' in converted) resolved[name] = converted.value;
    else
      errors.push(`${entry.from === paramsFile ? `${paramsFile}: ` : ''}param ${name}: ${converted.error}`);
  }
  if (errors.length > 0)
    throw new UsageError(
      errors.length === 1
        ? errors[0]!
        : `${errors.length} bad params:\n${errors.map((e) => `  ${e}`).join('\n')}`,
    );
  return resolved;
}

/** Converts one given value to its param's type, or says what was expected. */
export function convertParam(
  definition: ParamDoc,
  value: unknown,
): { value: ParamValue } | { error: string } {
  const got = describeValue(value);
  const expected = `expected ${describeType(definition)}, got ${got}`;
  const text = typeof value === 'string' ? value.trim() : value;
  switch (definition.type) {
    case 'int': {
      if (typeof text === 'number' && Number.isSafeInteger(text)) return { value: text };
      if (typeof text === 'string' && /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)))
        return { value: Number(text) };
      return { error: expected };
    }
    case 'bool': {
      if (typeof text === 'boolean') return { value: text };
      const word = String(text).toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { error: expected };
    }
    case 'enum': {
      const values = definition.values ?? [];
      const match = values.find((v) => v.toLowerCase() === String(text).toLowerCase());
      if (match !== undefined) return { value: match };
      const suggestion = didYouMean(String(text), values);
      return { error: `${expected}${suggestion ? `; ${suggestion}` : ''}` };
    }
    default: {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return { error: expected };
      const str = String(value);
      if (definition.pattern !== undefined && !compileParamPattern(definition.pattern).test(str))
        return { error: `expected a string matching /${definition.pattern}/, got ${got}` };
      return { value: str };
    }
  }
}

/** How a param's type reads in messages: `a whole number (int)`, `one of A, B`. */
export function describeType(definition: ParamDoc): string {
  switch (definition.type) {
    case 'int':
      return 'a whole number (int)';
    case 'bool':
      return 'true or false (bool)';
    case 'enum':
      return `one of ${(definition.values ?? []).join(', ')}`;
    default:
      return definition.pattern === undefined ? 'a string' : `a string matching /${definition.pattern}/`;
  }
}

async function readParamsFile(file: string): Promise<Record<string, unknown>> {
  const read = await readTextFile(file, 1024 * 1024);
  const problems = new ProblemList(file);
  if (!isTextFile(read)) {
    problems.addAt({ line: 1, col: 1 }, '', `cannot read the params file: ${read.message}`, read.hint);
    throw new PlaybookError(file, problems.items);
  }
  const source = parseYamlSource(read.text);
  const withSource = new ProblemList(file, source);
  const data = readYamlData(source, withSource);
  if (withSource.hasErrors) throw new PlaybookError(file, withSource.sorted());
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) {
    withSource.addAt(
      { line: 1, col: 1 },
      '',
      `a params file is a map of NAME: value, not ${describeValue(data)}`,
    );
    throw new PlaybookError(file, withSource.items);
  }
  for (const [name, value] of Object.entries(data)) {
    if (value !== null && typeof value === 'object')
      withSource.addAt(
        positionOfPath(source, [name]),
        [name],
        `param values are single values, not ${describeValue(value)}`,
      );
  }
  if (withSource.hasErrors) throw new PlaybookError(file, withSource.sorted());
  return data;
}
