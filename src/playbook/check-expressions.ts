import { isScalar } from 'yaml';
import type { CelParamType } from './cel-environment.js';
import type { DeclaredNames } from './check-references.js';
import { listOf } from './check-references.js';
import { checkExpression, type ExpressionIssue, type ExpressionScope } from './expression-check.js';
import type { ProblemList } from './problem-list.js';
import { isPlainObject } from './schema-problems.js';
import { scanTemplates, soleExpression } from './template-text.js';
import { type DocPath, nodeAt, positionOfOffset, type YamlSource } from './yaml-source.js';

/**
 * Parses every expression of a playbook (`with:`, `when:`, `confirm:`, `target:`) and reports
 * syntax errors and names that do not exist, at the expression's place in the file.
 */
export function checkPlaybookExpressions(
  data: Record<string, unknown>,
  names: DeclaredNames,
  source: YamlSource,
  problems: ProblemList,
): void {
  const base = {
    params: names.params,
    paramTypes: paramTypesOf(data.params),
    causes: names.causes,
    steps: names.steps,
  };
  if (isPlainObject(data.target)) checkTemplatesDeep(data.target, ['target'], base, source, problems);
  listOf(data.steps).forEach((step, index) => {
    if (!isPlainObject(step)) return;
    const scope: ExpressionScope = { ...base, currentStep: index };
    const path = ['steps', index];
    if (step.with !== undefined) checkTemplatesDeep(step.with, [...path, 'with'], scope, source, problems);
    if (typeof step.confirm === 'string')
      checkTemplateString(step.confirm, [...path, 'confirm'], scope, source, problems);
    if (typeof step.when === 'string') checkCondition(step.when, [...path, 'when'], scope, source, problems);
  });
}

function checkTemplatesDeep(
  value: unknown,
  path: DocPath,
  scope: ExpressionScope,
  source: YamlSource,
  problems: ProblemList,
): void {
  if (typeof value === 'string') checkTemplateString(value, path, scope, source, problems);
  else if (typeof value === 'number' && !Number.isFinite(value))
    // JSON has no Infinity or NaN: the script would get null.
    problems.add(
      path,
      `${value} is not a number a script can be given`,
      'write a finite number, or quote it as text',
    );
  else if (Array.isArray(value))
    value.forEach((item, i) => {
      checkTemplatesDeep(item, [...path, i], scope, source, problems);
    });
  else if (isPlainObject(value))
    for (const [key, item] of Object.entries(value))
      checkTemplatesDeep(item, [...path, key], scope, source, problems);
}

function checkTemplateString(
  text: string,
  path: DocPath,
  scope: ExpressionScope,
  source: YamlSource,
  problems: ProblemList,
): void {
  const { segments, unterminatedAt } = scanTemplates(text);
  for (const segment of segments) {
    const { issues } = checkExpression(segment.expression, scope);
    if (issues.length === 0) continue;
    const raw = text.slice(segment.start, segment.end);
    const base = locate(source, path, raw);
    const inner = base === undefined ? undefined : base + (segment.expressionStart - segment.start);
    report(issues, inner, path, source, problems);
  }
  if (unterminatedAt !== undefined) {
    const at = locate(source, path, text.slice(unterminatedAt, unterminatedAt + 3));
    problems.addAt(
      at === undefined ? fallback(source, path) : positionOfOffset(source, at),
      path,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
      'the expression ${{ is never closed with }}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
      'write ${{ params.Name }}',
    );
  }
}

function checkCondition(
  text: string,
  path: DocPath,
  scope: ExpressionScope,
  source: YamlSource,
  problems: ProblemList,
): void {
  const sole = soleExpression(text);
  const expression = sole ? sole.expression : text;
  const { issues, type } = checkExpression(expression, scope);
  if (type !== undefined && type !== 'bool' && type !== 'dyn')
    issues.push({
      offset: expression.length - expression.trimStart().length,
      message: `a condition must be true or false, not ${describeCelType(type)}`,
      hint: 'compare the value, e.g. params.Port == 3389 or causes["x"].confidence > 0.5',
    });
  if (issues.length === 0) return;
  report(issues, locate(source, path, expression), path, source, problems);
}

/** The CEL type of each declared param (string and enum params are strings; unknown types dyn). */
export function paramTypesOf(params: unknown): Record<string, CelParamType> {
  const types: Record<string, CelParamType> = {};
  if (!isPlainObject(params)) return types;
  for (const [name, definition] of Object.entries(params)) {
    const declared = isPlainObject(definition) ? (definition.type ?? 'string') : 'dyn';
    types[name] =
      declared === 'int'
        ? 'int'
        : declared === 'bool'
          ? 'bool'
          : declared === 'string' || declared === 'enum'
            ? 'string'
            : 'dyn';
  }
  return types;
}

/** A CEL type in words: `a number (int)`, `a string`, `a list`. */
export function describeCelType(type: string): string {
  if (type === 'int' || type === 'uint' || type === 'double') return `a number (${type})`;
  if (type === 'string') return 'a string';
  if (type === 'bytes') return 'bytes';
  if (type === 'null') return 'null';
  if (type.startsWith('list')) return `a list (${type})`;
  if (type.startsWith('map')) return `a map (${type})`;
  if (type.startsWith('optional')) return `an optional value (${type})`;
  return type;
}

function report(
  issues: ExpressionIssue[],
  base: number | undefined,
  path: DocPath,
  source: YamlSource,
  problems: ProblemList,
): void {
  for (const issue of issues) {
    const at = base === undefined ? fallback(source, path) : positionOfOffset(source, base + issue.offset);
    problems.addAt(at, path, issue.message, issue.hint);
  }
}

// Where `raw` sits in the file inside the scalar at `path`, when it appears there verbatim
// (escapes in double-quoted scalars can hide it; then the scalar's own position is used).
function locate(source: YamlSource, path: DocPath, raw: string): number | undefined {
  const node = nodeAt(source, path);
  if (!isScalar(node) || !node.range) return undefined;
  const at = source.text.indexOf(raw, node.range[0]);
  return at >= 0 && at < node.range[1] ? at : undefined;
}

function fallback(source: YamlSource, path: DocPath): { line: number; col: number } {
  const node = nodeAt(source, path);
  return node?.range ? positionOfOffset(source, node.range[0]) : { line: 1, col: 1 };
}
