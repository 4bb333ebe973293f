/** Runs one of a step's scripts in the right session, with its `with:` params and timeout. */

import { parseDuration } from '../playbook/duration.js';
import { evaluateTemplate } from '../playbook/expressions.js';
import type { StepDoc } from '../playbook/schema.js';
import type { ScriptOutcome } from '../powershell/types.js';
import type { ScriptRole } from './engine-playbook.js';
import type { IntentRecord } from './journal-records.js';
import type { RunContext } from './run-context.js';
import { noteUnreachable } from './unreachable-target.js';

/** A step's params: the values to pass, and the same with secret-derived values as templates. */
export interface StepParams {
  values: Record<string, unknown>;
  journaled: Record<string, unknown>;
}

/** Evaluates a step's `with:`; entries whose template reads a secret param are journaled unevaluated. */
export function evaluateStepParams(run: RunContext, step: StepDoc): StepParams {
  const raw = step.with ?? {};
  // Most values are plain data; build the expression context (all step results) only when needed.
  if (!(JSON.stringify(raw) ?? '').includes('${{')) return { values: raw, journaled: raw };
  const ctx = run.expressionContext();
  const secrets = run.secretParams();
  const values: Record<string, unknown> = {};
  const journaled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    values[name] = evaluateTemplate(value, ctx);
    journaled[name] = readsSecret(value, secrets) ? { $template: value } : values[name];
  }
  return { values, journaled };
}

/** The timeout of a step in ms (its `timeout:`, else the run's default). */
export function stepTimeoutMs(run: RunContext, step: StepDoc): number {
  return step.timeout === undefined ? run.mode.defaultTimeoutMs : parseDuration(step.timeout);
}

/**
 * Runs a step's script (by role) and returns the session's outcome; never throws for the script.
 * An apply for real needs the intent record the journal holds for it (a preview passes `whatIf`).
 */
export async function callStepScript(
  run: RunContext,
  step: StepDoc,
  role: ScriptRole,
  params: Record<string, unknown>,
  options: { whatIf?: boolean; intent?: IntentRecord } = {},
): Promise<ScriptOutcome> {
  const path = run.playbook.scriptPath(step, role);
  const script = run.playbook.scripts.get(path);
  if (!script) throw new Error(`script ${path} of step ${step.id} was not loaded with the playbook`);
  if (role === 'apply' && !options.whatIf) refuseApplyWithoutIntent(run, step, script.sha256, options.intent);
  const session = await run.sessions.get(step.on);
  // The run's sessions mask secret values in every outcome (mask-secrets.ts), before any event or
  // journal record is made from it (a target-unreachable record included).
  const outcome = await session.run({
    script: script.text,
    ...(script.modules ? { modules: script.modules } : {}),
    scriptPath: path,
    params,
    timeoutMs: stepTimeoutMs(run, step),
    ...(options.whatIf ? { whatIf: true } : {}),
  });
  // Ctrl+C kills an open in progress: that says nothing about the target.
  if (outcome.status === 'unreachable' && outcome.unreachable && !run.signal.aborted)
    noteUnreachable(run, step.on, outcome.unreachable);
  return outcome;
}

// The engine's own guard: a change is made only after its intent is on disk, and never in --check.
function refuseApplyWithoutIntent(
  run: RunContext,
  step: StepDoc,
  sha256: string,
  intent: IntentRecord | undefined,
): void {
  const why = run.mode.check
    ? 'the run is in check mode'
    : !intent
      ? 'no intent record was journaled for it'
      : intent.stepId !== step.id || intent.apply.sha256 !== sha256
        ? `the journaled intent is for ${intent.stepId} (${intent.apply.sha256})`
        : undefined;
  if (why) throw new Error(`refusing to run the apply script of step ${step.id}: ${why}`);
}

function readsSecret(raw: unknown, secrets: string[]): boolean {
  if (secrets.length === 0) return false;
  const text = JSON.stringify(raw) ?? '';
  return secrets.some((name) =>
    new RegExp(`params\\s*\\.\\s*${name}\\b|params\\s*\\[\\s*\\\\?["']${name}`).test(text),
  );
}
