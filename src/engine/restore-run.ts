/** Rebuilds a run's state from its journal so `psremedy resume` continues after the last finished step. */
import type { StepStatus } from '../core/step-status.js';
import { evaluateTemplate } from '../playbook/expressions.js';
import type { AppliedRecord, IntentRecord, JournalRecord } from './journal-records.js';
import { rankCauses } from './rank-causes.js';
import type { Change, RunContext } from './run-context.js';

const FINISHED: StepStatus[] = ['ok', 'changed', 'skipped'];

/** Restores finished steps, findings and changes into `run`; returns the ids of finished steps. */
export function restoreRun(run: RunContext, records: JournalRecord[]): Set<string> {
  const finished = new Set<string>();
  for (const r of records) {
    if (r.type !== 'step-end' || r.phase === 'recheck') continue;
    if (FINISHED.includes(r.status)) finished.add(r.stepId);
    else finished.delete(r.stepId);
    run.steps.set(r.stepId, {
      status: r.status,
      result: r.result ?? null,
      ...(r.findings ? { findings: r.findings } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    });
    if (r.findings && r.kind === 'diagnose') run.findingsByStep.set(r.stepId, r.findings);
  }
  for (const id of [...run.steps.keys()]) if (!finished.has(id)) run.steps.delete(id);
  run.ranked = rankCauses(run.findingsByStep, run.playbook.doc.causes);
  run.diagnosed = run.ranked;
  run.changes.push(...restoreChanges(records, (params) => fillTemplates(run, params)));
  return finished;
}

/** The changes a journal records (intents, with what apply did), marking those already rolled back. */
export function restoreChanges(
  records: JournalRecord[],
  fillParams: (params: Record<string, unknown>) => Record<string, unknown>,
): Change[] {
  const changes: Change[] = [];
  for (const r of records) {
    if (r.type === 'intent') changes.push({ intent: r as IntentRecord, params: fillParams(r.params) });
    const latest = [...changes].reverse().find((c) => 'stepId' in r && c.intent.stepId === r.stepId);
    if (!latest) continue;
    if (r.type === 'applied') latest.applied = r as AppliedRecord;
    if (r.type === 'undo-end') latest.undone = r.status;
    if (r.type === 'server-revert') {
      latest.serverRevert = r.outcome;
      if (r.outcome === 'autoReverted') latest.undone = 'rolledBack';
    }
  }
  return changes;
}

function fillTemplates(run: RunContext, params: Record<string, unknown>): Record<string, unknown> {
  const ctx = run.expressionContext();
  const filled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params))
    filled[name] = isTemplate(value) ? evaluateTemplate(value.$template, ctx) : value;
  return filled;
}

/** A journaled param kept as its template because it reads a secret. */
export function isTemplate(value: unknown): value is { $template: unknown } {
  return typeof value === 'object' && value !== null && '$template' in value;
}
