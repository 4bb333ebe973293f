import { relative } from 'node:path';
import { type ExpressionContext, ExpressionError, evaluateTemplate } from './expressions.js';
import type { LoadedPlaybook } from './load-playbook.js';
import type { ParamValue } from './resolve-params.js';
import type { StepDoc } from './schema.js';
import { scanTemplates, soleExpression } from './template-text.js';

/** What a secret param's value is shown as. */
export const SECRET_MASK = '********';

/** One step as it will run: where, which scripts, with what (params filled in, later values left as written). */
export interface PlannedStep {
  index: number;
  id: string;
  title: string;
  kind: StepDoc['kind'];
  on: StepDoc['on'];
  /** The host `on: target` steps reach, when the playbook names one. */
  host?: string;
  when?: string;
  /** Scripts by role, relative to `relativeTo`. */
  scripts: Partial<Record<'script' | 'test' | 'apply' | 'undo', string>>;
  /** Why there is no undo script, for a fix that cannot be undone. */
  noUndo?: string;
  with: Record<string, unknown>;
  fixes: string[];
  risk?: string;
  timeout?: string | number;
  confirm?: string;
  revertUnlessConfirmed?: string | number;
}

/** Lists the steps in run order, filling params (secrets masked) into `with:` and the target host. */
export function buildPlan(
  playbook: LoadedPlaybook,
  params: Record<string, ParamValue>,
  relativeTo: string = process.cwd(),
): PlannedStep[] {
  const shown: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params))
    shown[name] = playbook.doc.params[name]?.secret ? SECRET_MASK : value;
  const ctx: ExpressionContext = { params: shown, steps: {}, causes: {} };
  const hostTemplate = playbook.doc.target?.host;
  const host = hostTemplate === undefined ? undefined : String(previewValue(hostTemplate, ctx));
  return playbook.doc.steps.map((step, index) => {
    const scripts: PlannedStep['scripts'] = {};
    const roles = step.kind === 'diagnose' ? (['script'] as const) : (['test', 'apply', 'undo'] as const);
    for (const role of roles) {
      if (step.kind === 'fix' && role === 'undo' && typeof step.undo !== 'string') continue;
      scripts[role] = relative(relativeTo, playbook.scriptPath(step, role)) || '.';
    }
    const planned: PlannedStep = {
      index,
      id: step.id,
      title: step.title,
      kind: step.kind,
      on: step.on,
      scripts,
      with: previewValue(step.with ?? {}, ctx) as Record<string, unknown>,
      fixes: step.kind === 'fix' ? step.fixes : [],
    };
    if (step.on === 'target' && host !== undefined) planned.host = host;
    if (step.when !== undefined) planned.when = step.when;
    if (step.timeout !== undefined) planned.timeout = step.timeout;
    if (step.kind === 'fix') {
      planned.risk = step.risk;
      if (typeof step.undo !== 'string') planned.noUndo = step.undo.none;
      if (step.confirm !== undefined) planned.confirm = String(previewValue(step.confirm, ctx));
      if (step.revertUnlessConfirmed !== undefined)
        planned.revertUnlessConfirmed = step.revertUnlessConfirmed;
    }
    return planned;
  });
}

// Fills in what is known before the run (params); expressions that need step outcomes or
// causes stay as written.
function previewValue(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return previewString(value, ctx);
  if (Array.isArray(value)) return value.map((item) => previewValue(item, ctx));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, previewValue(v, ctx)]));
  return value;
}

function previewString(text: string, ctx: ExpressionContext): unknown {
  if (soleExpression(text)) return tryEvaluate(text, ctx);
  const { segments } = scanTemplates(text);
  let out = '';
  let from = 0;
  for (const segment of segments) {
    const raw = text.slice(segment.start, segment.end);
    const value = tryEvaluate(raw, ctx);
    out += text.slice(from, segment.start) + (typeof value === 'string' ? value : JSON.stringify(value));
    from = segment.end;
  }
  return out + text.slice(from);
}

function tryEvaluate(raw: string, ctx: ExpressionContext): unknown {
  try {
    return evaluateTemplate(raw, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) return raw;
    throw error;
  }
}
