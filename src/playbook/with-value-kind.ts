import { checkExpression, type ExpressionScope } from './expression-check.js';
import { isPlainObject } from './schema-problems.js';
import { soleExpression } from './template-text.js';

/** What validate knows of a `with:` value before the run: its kind, and the value when it is literal. */
export type WithValueKind =
  | { kind: 'string'; value?: string; from?: string; oneOf?: readonly string[] }
  | { kind: 'number'; value?: number; from?: string }
  | { kind: 'bool'; from?: string }
  | { kind: 'null' }
  | { kind: 'list'; from?: string }
  | { kind: 'map'; from?: string }
  | { kind: 'unknown' };

/**
 * The kind of a `with:` value: literal YAML as it is; a string that is exactly one `${{ }}` by the
 * CEL type of its expression (an enum param also by its values); other templates give text.
 */
export function withValueKind(
  value: unknown,
  scope: ExpressionScope,
  enumValues: Readonly<Record<string, readonly string[]>>,
): WithValueKind {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'bool' };
  if (Array.isArray(value)) return { kind: 'list' };
  if (isPlainObject(value)) return { kind: 'map' };
  if (typeof value !== 'string') return { kind: 'unknown' };
  const sole = soleExpression(value);
  if (!sole) return value.includes('${{') ? { kind: 'string', from: value } : { kind: 'string', value };
  const { issues, type } = checkExpression(sole.expression, scope);
  if (issues.length > 0 || type === undefined) return { kind: 'unknown' };
  const from = sole.expression.trim();
  if (type === 'string') {
    const param = /^params\.([A-Za-z][A-Za-z0-9_]*)$/.exec(from)?.[1];
    const oneOf = param === undefined ? undefined : enumValues[param];
    return { kind: 'string', from, ...(oneOf ? { oneOf } : {}) };
  }
  if (type === 'int' || type === 'uint' || type === 'double') return { kind: 'number', from };
  if (type === 'bool') return { kind: 'bool', from };
  if (type === 'null') return { kind: 'null' };
  if (type.startsWith('list')) return { kind: 'list', from };
  if (type.startsWith('map')) return { kind: 'map', from };
  return { kind: 'unknown' };
}
