/**
 * The NDJSON event format (`--output ndjson`), as a zod schema: it checks events in tests and
 * generates schema/events.schema.json for tools. It mirrors src/engine/events.ts.
 */
import { z } from 'zod';
import { STEP_STATUSES } from '../core/step-status.js';
import { UNREACHABLE_REASONS } from '../core/unreachable.js';

const status = z.enum(STEP_STATUSES);
const kind = z.enum(['diagnose', 'fix']);
const phase = z.enum(['diagnose', 'fix', 'recheck']);
const undoStatus = z.enum(['rolledBack', 'revertUnverified', 'rollbackFailed']);
const outcome = z.enum(['ok', 'changed', 'problemsRemain', 'unreachable', 'rolledBack', 'cancelled']);
const unreachableFields = {
  target: z.string(),
  reason: z.enum(UNREACHABLE_REASONS),
  detail: z.string(),
  waitedMs: z.number(),
};
const finding = z.object({ cause: z.string(), confidence: z.number().min(0).max(1), evidence: z.string() });
const scriptError = z.looseObject({ message: z.string() });
const rankedCause = z.object({
  cause: z.string(),
  title: z.string(),
  confidence: z.number(),
  agreeing: z.number().int(),
  detected: z.boolean(),
  evidence: z.array(z.object({ stepId: z.string(), confidence: z.number(), evidence: z.string() })),
  unknownBecause: z.array(z.string()).optional(),
});
const stepNotRun = z.object({ stepId: z.string(), status: z.string(), reason: z.string().optional() });
const counts = z.object({
  ok: z.number().int(),
  changed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  rolledBack: z.number().int(),
  revertUnverified: z.number().int(),
  rollbackFailed: z.number().int(),
  unreachable: z.number().int().optional(),
});

/** One line of `--output ndjson`. */
export const EngineEventSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('run.start'),
      runId: z.string(),
      journalPath: z.string(),
      playbook: z.object({ name: z.string(), title: z.string(), file: z.string() }),
      target: z.string(),
      check: z.boolean(),
      resumed: z.boolean(),
      steps: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          kind,
          on: z.enum(['client', 'target']),
          selected: z.boolean(),
          risk: z.enum(['low', 'medium', 'high', 'disruptive']).optional(),
          fixes: z.array(z.string()).optional(),
        }),
      ),
    }),
    z.strictObject({
      type: z.literal('run.crashFound'),
      runId: z.string(),
      playbook: z.string(),
      startedAt: z.string(),
      pendingChanges: z.array(z.string()),
      journalPath: z.string(),
    }),
    z.strictObject({ type: z.literal('step.start'), stepId: z.string(), title: z.string(), kind, phase }),
    z.strictObject({
      type: z.literal('step.progress'),
      stepId: z.string(),
      activity: z.enum([
        'testing',
        'previewing',
        'waitingForConsent',
        'applying',
        'verifying',
        'reconnecting',
        'waitingForServerRevert',
      ]),
    }),
    z.strictObject({
      type: z.literal('step.diff'),
      stepId: z.string(),
      before: z.unknown(),
      after: z.unknown().optional(),
      whatIf: z.array(z.string()).optional(),
      noPreview: z.string().optional(),
    }),
    z.strictObject({
      type: z.literal('step.end'),
      stepId: z.string(),
      kind,
      phase,
      status,
      durationMs: z.number(),
      reason: z.string().optional(),
      result: z.unknown().optional(),
      findings: z.array(finding).optional(),
      impact: z.enum(['compliant', 'wouldChange', 'unknown']).optional(),
      error: scriptError.optional(),
      unreachable: z.strictObject(unreachableFields).optional(),
    }),
    z.strictObject({
      type: z.literal('target.unreachable'),
      on: z.enum(['client', 'target']),
      ...unreachableFields,
    }),
    z.strictObject({
      type: z.literal('causes.ranked'),
      causes: z.array(rankedCause),
      diagnosed: z.boolean(),
      notRun: z.array(stepNotRun),
    }),
    z.strictObject({
      type: z.literal('cause.recheck'),
      cause: z.string(),
      fixedBy: z.string(),
      cleared: z.boolean(),
    }),
    z.strictObject({
      type: z.literal('prompt.answered'),
      stepId: z.string(),
      question: z.enum(['fix', 'keep', 'step']),
      answer: z.string(),
      by: z.enum(['prompt', 'yes', 'policy', 'timeout', 'verify']),
    }),
    z.strictObject({ type: z.literal('rollback.start'), reason: z.string(), steps: z.array(z.string()) }),
    z.strictObject({
      type: z.literal('rollback.step'),
      stepId: z.string(),
      status: undoStatus,
      note: z.string().optional(),
      error: scriptError.optional(),
      state: z.unknown().optional(),
      before: z.unknown().optional(),
    }),
    z.strictObject({
      type: z.literal('step.serverRevert'),
      stepId: z.string(),
      outcome: z.enum(['armed', 'confirmed', 'autoReverted', 'revertUnverified']),
      deadline: z.string().optional(),
      note: z.string().optional(),
      state: z.unknown().optional(),
      before: z.unknown().optional(),
    }),
    z.strictObject({ type: z.literal('rollback.end'), status: undoStatus }),
    z.strictObject({
      type: z.literal('summary'),
      runId: z.string(),
      outcome,
      counts,
      causes: z.array(rankedCause),
      fixed: z.array(z.string()),
      remaining: z.array(z.string()),
      unknown: z.array(z.string()),
      diagnosed: z.boolean(),
      notRun: z.array(stepNotRun),
      journalPath: z.string(),
      durationMs: z.number(),
      keptPartialChanges: z.boolean(),
      unreachable: z
        .strictObject({ ...unreachableFields, on: z.enum(['client', 'target']), steps: z.array(z.string()) })
        .optional(),
    }),
  ])
  .meta({ title: 'psremedy run event', description: 'One line of `psremedy run --output ndjson`.' });

/** The JSON Schema text committed at schema/events.schema.json. */
export function formatEventsJsonSchema(): string {
  const schema = z.toJSONSchema(EngineEventSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
