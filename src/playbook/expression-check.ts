import type { ASTNode } from '@marcbachmann/cel-js';
import { type CelParamType, checkCel, EXPRESSION_ROOTS, parseCel } from './cel-environment.js';
import { didYouMean } from './did-you-mean.js';

/** What an expression at one place in a playbook may refer to. */
export interface ExpressionScope {
  params: ReadonlySet<string>;
  /** The CEL type of each param, from its declared type. */
  paramTypes: Readonly<Record<string, CelParamType>>;
  causes: ReadonlySet<string>;
  /** Every step id and its position in the playbook. */
  steps: ReadonlyMap<string, number>;
  /** The index of the step holding the expression; undefined where no step has run yet (target). */
  currentStep?: number;
}

/** A problem in one expression; `offset` counts from the start of the expression text. */
export interface ExpressionIssue {
  offset: number;
  message: string;
  hint?: string;
}

const CROSS_TYPE_EQUALITY = /^no such overload: \S+ (==|!=|in) \S+/;
const STEP_FIELDS = ['status', 'result', 'findings'];
const CAUSE_FIELDS = ['detected', 'confidence'];
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'bind']);
const ROOTS: ReadonlySet<string> = new Set(EXPRESSION_ROOTS);

/** What checking one expression found: its problems, or the CEL type it gives (`bool`, `int`, `dyn`...). */
export interface ExpressionCheck {
  issues: ExpressionIssue[];
  type?: string;
}

/**
 * Parses one CEL expression, checks its names against the playbook, then type-checks it with
 * each param's declared type (so `params.Port + 1.0` fails here, not in the run). Never evaluates.
 */
export function checkExpression(expression: string, scope: ExpressionScope): ExpressionCheck {
  if (expression.trim() === '') return { issues: [{ offset: 0, message: 'empty expression' }] };
  let parsed: ReturnType<typeof parseCel>;
  try {
    parsed = parseCel(expression);
  } catch (error) {
    return { issues: [fromCelError(expression, error)] };
  }
  const issues: ExpressionIssue[] = [];
  walk(parsed.ast, new Set(), scope, issues);
  if (issues.length > 0) {
    // A wrong name also fails the typed check, which the name problem says better; the untyped
    // check still finds unknown variables (`causes.port-closed` reads a variable `closed`).
    const untyped = parsed.check();
    if (!untyped.valid && untyped.error) issues.unshift(fromCelError(expression, untyped.error));
    return { issues: dedupe(issues) };
  }
  const checked = checkCel(expression, scope.paramTypes);
  if (!checked.valid) {
    // The run compares values of different types with ==, != and `in` (the answer is false);
    // only the typed check refuses them, so they are no problem of the playbook.
    if (CROSS_TYPE_EQUALITY.test(checked.error?.message ?? '')) return { issues: [] };
    return { issues: [fromCelError(expression, checked.error)] };
  }
  return { issues: [], ...(checked.type ? { type: checked.type } : {}) };
}

function walk(
  node: ASTNode,
  bound: ReadonlySet<string>,
  scope: ExpressionScope,
  issues: ExpressionIssue[],
): void {
  if (node.op === '.' || node.op === '.?' || node.op === '[]' || node.op === '[?]') {
    const [object] = node.args;
    const reference = rootReference(node, bound);
    if (reference) checkReference(reference.root, reference.name, node.range.start, scope, issues);
    const parent = rootReference(object, bound);
    if (parent && parent.root !== 'params') {
      const field = accessedKey(node);
      const fields = parent.root === 'steps' ? STEP_FIELDS : CAUSE_FIELDS;
      if (field !== undefined && !fields.includes(field))
        issues.push({
          offset: node.range.start,
          message: `${parent.root === 'steps' ? 'a step' : 'a cause'} has no field "${field}"`,
          hint: didYouMean(field, fields) || `use one of ${fields.join(', ')}`,
        });
    }
  }
  if (node.op === 'rcall' && MACROS.has(node.args[0])) {
    const [, receiver, args] = node.args;
    walk(receiver, bound, scope, issues);
    const [variable, ...rest] = args;
    const inner = variable?.op === 'id' ? new Set([...bound, variable.args]) : bound;
    for (const arg of rest) walk(arg, inner, scope, issues);
    return;
  }
  for (const child of childNodes(node.args)) walk(child, bound, scope, issues);
}

function rootReference(
  node: ASTNode,
  bound: ReadonlySet<string>,
): { root: string; name: string } | undefined {
  if (node.op !== '.' && node.op !== '.?' && node.op !== '[]' && node.op !== '[?]') return undefined;
  const [object] = node.args;
  if (object.op !== 'id' || !ROOTS.has(object.args) || bound.has(object.args)) return undefined;
  const name = accessedKey(node);
  return name === undefined ? undefined : { root: object.args, name };
}

function accessedKey(node: ASTNode): string | undefined {
  if (node.op === '.' || node.op === '.?') return node.args[1];
  if (node.op === '[]' || node.op === '[?]') {
    const key = node.args[1];
    return key.op === 'value' && typeof key.args === 'string' ? key.args : undefined;
  }
  return undefined;
}

function checkReference(
  root: string,
  name: string,
  offset: number,
  scope: ExpressionScope,
  issues: ExpressionIssue[],
): void {
  if (root === 'params' && !scope.params.has(name)) {
    issues.push({
      offset,
      message: `unknown param "${name}"`,
      hint: didYouMean(name, scope.params) || 'declare it under params:',
    });
  } else if (root === 'causes' && !scope.causes.has(name)) {
    const dashed = [...scope.causes].find((id) => id.startsWith(`${name}-`));
    issues.push({
      offset,
      message: `unknown cause "${name}"`,
      hint: dashed
        ? `an id with dashes needs brackets: causes["${dashed}"]`
        : didYouMean(name, scope.causes) || 'declare it under causes:',
    });
  } else if (root === 'steps') {
    const index = scope.steps.get(name);
    if (scope.currentStep === undefined) {
      issues.push({
        offset,
        message: `steps.${name} cannot be used here`,
        hint: 'no step has run yet at this point',
      });
    } else if (index === undefined) {
      issues.push({
        offset,
        message: `unknown step "${name}"`,
        hint: didYouMean(name, scope.steps.keys()) || undefined,
      });
    } else if (index === scope.currentStep) {
      issues.push({
        offset,
        message: `steps.${name} is this step itself`,
        hint: 'refer only to earlier steps',
      });
    } else if (index > scope.currentStep) {
      issues.push({
        offset,
        message: `step "${name}" runs after this one (it is steps.${index}), so its outcome is not known yet`,
        hint: 'move that step earlier, or refer only to earlier steps',
      });
    }
  }
}

function fromCelError(expression: string, error: unknown): ExpressionIssue {
  const e = error as { summary?: string; message?: string; range?: { start: number }; code?: string };
  const offset = e.range?.start ?? 0;
  const message = e.summary ?? e.message?.split('\n')[0] ?? String(error);
  const before = expression.slice(0, offset).trimEnd();
  let hint: string | undefined;
  if (e.code === 'unknown_variable' && before.endsWith('-'))
    hint = 'an id with dashes needs brackets, e.g. causes["port-closed"]';
  else if (e.code === 'unknown_variable') hint = 'expressions can read params, steps and causes';
  else if (/no such overload/i.test(message))
    hint = 'the values have different types; convert one, e.g. double(params.Port) or string(params.Port)';
  return { offset, message: `CEL: ${lowerFirst(message)}`, ...(hint ? { hint } : {}) };
}

function childNodes(args: unknown): ASTNode[] {
  if (Array.isArray(args)) return args.flatMap(childNodes);
  if (typeof args === 'object' && args !== null && 'op' in args && 'args' in args) return [args as ASTNode];
  return [];
}

function dedupe(issues: ExpressionIssue[]): ExpressionIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.offset}:${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
