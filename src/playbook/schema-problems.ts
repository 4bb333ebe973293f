import type { z } from 'zod';
import { didYouMean, suggestClosest } from './did-you-mean.js';
import type { ProblemList } from './problem-list.js';
import { Cause, DiagnoseStep, FixStep, NoUndo, Param, Playbook, Target } from './schema.js';
import { type DocPath, positionOfKey, positionOfPath, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

const UNDO_HINT = 'give an undo script, or say why there is none: undo: { none: "reason" }';

const MISSING_KEY_HINTS: Record<string, string> = {
  apiVersion: 'start the file with apiVersion: psremedy/v1',
  kind: 'add kind: diagnose (looks, changes nothing) or kind: fix (test, apply, undo)',
  undo: UNDO_HINT,
  risk: 'add risk: low, medium, high or disruptive',
  script: 'a diagnose step runs one script: script: ../ps-scripts/Test-Something.ps1',
  steps: 'a playbook needs a list of steps',
  test: 'a fix step needs a test script returning { compliant, state }',
  apply: 'a fix step needs an apply script returning { changed, before, after }',
};

/** Turns zod issues into problems with positions, plain words and did-you-mean hints. */
export function addSchemaProblems(
  issues: readonly Issue[],
  data: unknown,
  source: YamlSource,
  problems: ProblemList,
): void {
  for (const issue of issues) addIssue(issue, issue.path.map(toSegment), data, source, problems);
}

function addIssue(
  issue: Issue,
  path: DocPath,
  data: unknown,
  source: YamlSource,
  problems: ProblemList,
): void {
  const value = valueAt(data, path);
  const last = path[path.length - 1];
  const parent = valueAt(data, path.slice(0, -1));
  if (
    typeof last === 'string' &&
    isPlainObject(parent) &&
    !(last in parent) &&
    issue.code !== 'unrecognized_keys'
  ) {
    problems.add(path.slice(0, -1), `missing required key "${last}"`, MISSING_KEY_HINTS[last]);
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) addUnknownKey(path, key, data, source, problems);
      return;
    case 'invalid_type':
      problems.add(
        path,
        `must be ${article(issue.expected)}, not ${describeValue(value)}`,
        typeHint(path, value),
      );
      return;
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      if (allowed.length === 1) {
        problems.add(path, `must be "${allowed[0]}", not ${describeValue(value)}`);
        return;
      }
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      problems.add(path, `${describeValue(value)} is not one of ${allowed.join(', ')}`, hint || undefined);
      return;
    }
    case 'invalid_union':
      addUnionIssue(issue, path, value, data, source, problems);
      return;
    case 'invalid_format':
      problems.add(path, `${describeValue(value)} is not valid: ${customMessage(issue)}`);
      return;
    case 'too_small':
      problems.add(path, tooSmallMessage(issue, value));
      return;
    case 'too_big':
      problems.add(path, issue.message);
      return;
    case 'custom':
      problems.add(path, `${describeValue(value)} is not valid: ${issue.message}`);
      return;
    case 'invalid_key': {
      const inner = issue.issues[0];
      const reason = inner ? customMessage(inner) : issue.message;
      const at = positionOfKey(source, path);
      const name = String(last);
      problems.addAt(at, path, `${keyKind(path)} "${name}" is not a valid name: ${reason}`);
      return;
    }
    default:
      problems.add(path, issue.message);
  }
}

function addUnknownKey(
  path: DocPath,
  key: string,
  data: unknown,
  source: YamlSource,
  problems: ProblemList,
): void {
  const allowed = allowedKeysAt(path, data);
  const at = positionOfPath(source, path, key);
  const suggestion = suggestClosest(key, allowed);
  const otherKind = otherStepKindKey(path, key, data);
  const hint = suggestion
    ? `did you mean "${suggestion}"?`
    : otherKind
      ? otherKind
      : allowed.length > 0
        ? `allowed keys here: ${allowed.join(', ')}`
        : undefined;
  problems.addAt(at, [...path, key], `unknown key "${key}"`, hint);
}

function addUnionIssue(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: DocPath,
  value: unknown,
  data: unknown,
  source: YamlSource,
  problems: ProblemList,
): void {
  if ((issue as { note?: string }).note === 'No matching discriminator') {
    const options = (issue as { options?: unknown[] }).options?.map(String) ?? ['diagnose', 'fix'];
    const hint = typeof value === 'string' ? didYouMean(value, options) : '';
    problems.add(path, `${describeValue(value)} is not one of ${options.join(', ')}`, hint || undefined);
    return;
  }
  // Report the branch that fits the value's shape (an object for `undo: { none }`), if any.
  const branch = issue.errors.find(
    (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0),
  );
  if (branch && branch.length > 0) {
    for (const inner of branch)
      addIssue(inner, [...path, ...inner.path.map(toSegment)], data, source, problems);
    return;
  }
  const name = path[path.length - 1];
  if (name === 'undo') {
    problems.add(path, `must be a script path or { none: "reason" }, not ${describeValue(value)}`, UNDO_HINT);
    return;
  }
  if (name === 'timeout' || name === 'revertUnlessConfirmed') {
    problems.add(
      path,
      `${describeValue(value)} is not a duration`,
      'use a duration such as 500ms, 20s, 2m or 1h',
    );
    return;
  }
  problems.add(path, `${describeValue(value)} is not allowed here`);
}

/** The keys a map at `path` may have, from the schema. */
export function allowedKeysAt(path: DocPath, data: unknown): string[] {
  const [first, , third] = path;
  if (path.length === 0) return Object.keys(Playbook.shape);
  if (first === 'target' && path.length === 1) return Object.keys(Target.shape);
  if (first === 'params' && path.length === 2) return Object.keys(Param.shape);
  if (first === 'causes' && path.length === 2) return Object.keys(Cause.shape);
  if (first === 'steps' && path.length === 2) {
    const kind = (valueAt(data, path) as { kind?: unknown } | undefined)?.kind;
    if (kind === 'diagnose') return Object.keys(DiagnoseStep.shape);
    if (kind === 'fix') return Object.keys(FixStep.shape);
    return [...new Set([...Object.keys(DiagnoseStep.shape), ...Object.keys(FixStep.shape)])];
  }
  if (first === 'steps' && third === 'undo' && path.length === 3) return Object.keys(NoUndo.shape);
  return [];
}

function otherStepKindKey(path: DocPath, key: string, data: unknown): string | undefined {
  if (path[0] !== 'steps' || path.length !== 2) return undefined;
  const kind = (valueAt(data, path) as { kind?: unknown } | undefined)?.kind;
  if (kind === 'diagnose' && key in FixStep.shape) return `"${key}" belongs to kind: fix steps`;
  if (kind === 'fix' && key in DiagnoseStep.shape) return `"${key}" belongs to kind: diagnose steps`;
  return undefined;
}

function typeHint(path: DocPath, value: unknown): string | undefined {
  const last = path[path.length - 1];
  if ((last === 'steps' || last === 'causes') && isPlainObject(value))
    return `${last} is a list: start each item with "- "`;
  if (isPlainObject(value) && Object.values(value).every((v) => v === null))
    return 'braces make a YAML map; quote the value or use a `|` block scalar';
  return undefined;
}

function tooSmallMessage(issue: Extract<Issue, { code: 'too_small' }>, value: unknown): string {
  if (issue.message && !issue.message.startsWith('Too small')) return issue.message;
  if (typeof value === 'string') return 'must not be empty';
  if (Array.isArray(value)) return `needs at least ${issue.minimum} item(s)`;
  if (typeof value === 'number')
    return `must be greater than ${issue.inclusive ? 'or equal to ' : ''}${issue.minimum}`;
  return issue.message;
}

function customMessage(issue: Issue): string {
  if (issue.code === 'invalid_format' && issue.message.startsWith('Invalid string'))
    return `must match ${(issue as { pattern?: string }).pattern ?? 'the expected format'}`;
  return issue.message;
}

function keyKind(path: DocPath): string {
  return path[0] === 'params' ? 'param' : 'key';
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a map (key: value lines)';
  if (expected === 'array') return 'a list (lines starting with "- ")';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A short description of a YAML value for messages: `"abc"`, `the number 5`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value (null)';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return typeof value;
}

/** The value at a path in plain data, or undefined. */
export function valueAt(data: unknown, path: DocPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** True for a YAML map read as a plain object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toSegment(key: PropertyKey): string | number {
  return typeof key === 'symbol' ? String(key.description) : key;
}
