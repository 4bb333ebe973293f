import { fromCelValue, parseCel, toCelValue } from './cel-environment.js';
import { scanTemplates, soleExpression } from './template-text.js';

/** What expressions can read while a run goes on. */
export interface ExpressionContext {
  params: Record<string, unknown>;
  steps: Record<string, { status: string; result: unknown; findings?: unknown[] }>;
  causes: Record<string, { detected: boolean; confidence: number }>;
}

/** An expression that failed to parse or evaluate; names the expression and why. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly expression: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot evaluate \${{ ${expression.trim()} }}: ${reason}`, options);
  }
}

/**
 * Replaces every `${{ expr }}` in the strings of a value (deeply, keys untouched). A string that
 * is exactly one `${{ expr }}` becomes the expression's value with its type (a number stays a
 * number); otherwise values are joined into the text. Values are data: nothing is ever run as code.
 */
export function evaluateTemplate(value: unknown, ctx: ExpressionContext): unknown {
  const celContext = toCelContext(ctx);
  return evaluateDeep(value, celContext);
}

/** Evaluates a `when:` condition (bare CEL, or one `${{ }}`); it must give true or false. */
export function evaluateCondition(expr: string, ctx: ExpressionContext): boolean {
  const inner = soleExpression(expr)?.expression ?? expr;
  const result = evaluateExpression(inner, toCelContext(ctx));
  if (typeof result !== 'boolean')
    throw new ExpressionError(inner, `a condition must be true or false, not ${typeof result}`);
  return result;
}

function toCelContext(ctx: ExpressionContext): Record<string, unknown> {
  const causes: Record<string, unknown> = {};
  // Confidence stays a CEL double, even 0 or 1, so `confidence > 0.5` and `* 2.0` always work.
  for (const [id, cause] of Object.entries(ctx.causes))
    causes[id] = { detected: cause.detected, confidence: cause.confidence };
  return { params: toCelValue(ctx.params), steps: toCelValue(ctx.steps), causes };
}

function evaluateDeep(value: unknown, celContext: Record<string, unknown>): unknown {
  if (typeof value === 'string') return evaluateString(value, celContext);
  if (Array.isArray(value)) return value.map((item) => evaluateDeep(item, celContext));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateDeep(v, celContext);
    return out;
  }
  return value;
}

function evaluateString(text: string, celContext: Record<string, unknown>): unknown {
  const sole = soleExpression(text);
  if (sole) return evaluateExpression(sole.expression, celContext);
  const { segments, unterminatedAt } = scanTemplates(text);
  if (unterminatedAt !== undefined)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    throw new ExpressionError(text.slice(unterminatedAt + 3), 'the ${{ is never closed with }}');
  if (segments.length === 0) return text;
  let out = '';
  let from = 0;
  for (const segment of segments) {
    out += text.slice(from, segment.start) + stringify(evaluateExpression(segment.expression, celContext));
    from = segment.end;
  }
  return out + text.slice(from);
}

function evaluateExpression(expression: string, celContext: Record<string, unknown>): unknown {
  let raw: unknown;
  try {
    raw = parseCel(expression)(celContext);
  } catch (error) {
    const reason = (error as { summary?: string }).summary ?? (error as Error).message;
    throw new ExpressionError(expression, reason, { cause: error });
  }
  try {
    return fromCelValue(raw);
  } catch (error) {
    throw new ExpressionError(expression, (error as Error).message, { cause: error });
  }
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
