/** A fix step's `confirm:` text as shown before it runs: its `${{ }}` expressions filled in. */

import { evaluateTemplate } from '../playbook/expressions.js';
import { SECRET_MASK } from '../playbook/plan.js';
import type { FixStepDoc } from '../playbook/schema.js';
import type { RunContext } from './run-context.js';

/**
 * Fills the expressions of `step.confirm` from what the run knows now (secret params masked).
 * An expression that cannot be evaluated yet leaves the text as written: the words are only shown.
 */
export function evaluateConfirmText(run: RunContext, step: FixStepDoc): string | undefined {
  const text = step.confirm;
  if (text === undefined || !text.includes('${{')) return text;
  const ctx = run.expressionContext();
  const secrets = new Set(run.secretParams());
  const params = Object.fromEntries(
    Object.entries(ctx.params).map(([name, value]) => [name, secrets.has(name) ? SECRET_MASK : value]),
  );
  try {
    const value = evaluateTemplate(text, { ...ctx, params });
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return text;
  }
}
