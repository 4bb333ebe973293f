/**
 * What the engine tells the world while it runs. Reporters (src/ui) subscribe; the engine itself
 * never prints. Every event carries `type`; names are `<subject>.<what>`.
 *
 * Each event is defined once, as a zod schema: its TypeScript type is inferred from it, tests check
 * real events against it, and it generates schema/events.schema.json (`--output ndjson`) for tools.
 * Parts whose type another module owns (findings, script errors, ranked causes) are schemas typed as
 * that owner's type, so the two cannot drift apart without a compile error.
 */
import { z } from 'zod';
import { type Finding, STEP_STATUSES } from '../core/step-status.js';
import { UNREACHABLE_REASONS } from '../core/unreachable.js';
import type { ScriptError } from '../powershell/types.js';
import type { StepNotRun } from './cause-evidence.js';
import type { RankedCause, RunCounts, RunOutcome } from './journal-records.js';

const status = z.enum(STEP_STATUSES);
const kind = z.enum(['diagnose', 'fix']);
const phase = z.enum(['diagnose', 'fix', 'recheck']);
const on = z.enum(['client', 'target']);
const undoStatus = z.enum(['rolledBack', 'revertUnverified', 'rollbackFailed']);
const outcome: z.ZodType<RunOutcome> = z.enum([
  'ok',
  'changed',
  'problemsRemain',
  'unreachable',
  'rolledBack',
  'cancelled',
]);
const unreachableFields = {
  target: z.string(),
  reason: z.enum(UNREACHABLE_REASONS),
  detail: z.string(),
  waitedMs: z.number(),
};
const finding: z.ZodType<Finding> = z.object({
  cause: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.string(),
});
// Only `message` is promised; the other fields are kept as PowerShell gave them.
const scriptError: z.ZodType<ScriptError> = z.looseObject({ message: z.string() });
const rankedCause: z.ZodType<RankedCause> = z.object({
  cause: z.string(),
  title: z.string(),
  confidence: z.number(),
  agreeing: z.number().int(),
  detected: z.boolean(),
  evidence: z.array(z.object({ stepId: z.string(), confidence: z.number(), evidence: z.string() })),
  unknownBecause: z.array(z.string()).optional(),
});
const stepNotRun: z.ZodType<StepNotRun> = z.object({
  stepId: z.string(),
  status: z.string(),
  reason: z.string().optional(),
});
const counts: z.ZodType<RunCounts> = z.object({
  ok: z.number().int(),
  changed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  rolledBack: z.number().int(),
  revertUnverified: z.number().int(),
  rollbackFailed: z.number().int(),
  unreachable: z.number().int().optional(),
});

const PlannedStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind,
  on,
  /** False when --only/--skip/--start-at left it out. */
  selected: z.boolean(),
  risk: z.enum(['low', 'medium', 'high', 'disruptive']).optional(),
  fixes: z.array(z.string()).optional(),
});
/** A step as planned at the start of a run. */
export type PlannedStep = z.infer<typeof PlannedStepSchema>;

const CheckImpactSchema = z.enum(['compliant', 'wouldChange', 'unknown']);
/** What a fix step's test concluded in --check mode. */
export type CheckImpact = z.infer<typeof CheckImpactSchema>;

const RunStartSchema = z.strictObject({
  type: z.literal('run.start'),
  runId: z.string(),
  journalPath: z.string(),
  playbook: z.object({ name: z.string(), title: z.string(), file: z.string() }),
  target: z.string(),
  check: z.boolean(),
  resumed: z.boolean(),
  steps: z.array(PlannedStepSchema),
});
/** The run began; the journal exists. */
export type RunStartEvent = z.infer<typeof RunStartSchema>;

const RunCrashFoundSchema = z.strictObject({
  type: z.literal('run.crashFound'),
  runId: z.string(),
  playbook: z.string(),
  startedAt: z.string(),
  /** Changes that may still be in place. */
  pendingChanges: z.array(z.string()),
  /** Its journal (the hints name the state folder it is in). */
  journalPath: z.string(),
});
/** A run that ended without a run-end record (psremedy was killed) was found at start. */
export type RunCrashFoundEvent = z.infer<typeof RunCrashFoundSchema>;

const StepStartSchema = z.strictObject({
  type: z.literal('step.start'),
  stepId: z.string(),
  title: z.string(),
  kind,
  phase,
});
/** A step (or a re-check of a diagnose step) started. */
export type StepStartEvent = z.infer<typeof StepStartSchema>;

const StepProgressSchema = z.strictObject({
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
});
/** A step moved to a new phase of its lifecycle. */
export type StepProgressEvent = z.infer<typeof StepProgressSchema>;

const StepDiffSchema = z.strictObject({
  type: z.literal('step.diff'),
  stepId: z.string(),
  before: z.unknown(),
  after: z.unknown().optional(),
  whatIf: z.array(z.string()).optional(),
  /** Why no -WhatIf preview could be made safely (the apply script was not run). */
  noPreview: z.string().optional(),
});
/** Before/after of one change (--diff), or the test state and -WhatIf lines in --check --diff. */
export type StepDiffEvent = z.infer<typeof StepDiffSchema>;

const StepEndSchema = z.strictObject({
  type: z.literal('step.end'),
  stepId: z.string(),
  kind,
  phase,
  status,
  durationMs: z.number(),
  reason: z.string().optional(),
  result: z.unknown().optional(),
  findings: z.array(finding).optional(),
  impact: CheckImpactSchema.optional(),
  error: scriptError.optional(),
  /** Status `unreachable`: why its machine could not be reached. */
  unreachable: z.strictObject(unreachableFields).optional(),
});
/** A step finished. */
export type StepEndEvent = z.infer<typeof StepEndSchema>;

const TargetUnreachableSchema = z.strictObject({
  type: z.literal('target.unreachable'),
  on,
  ...unreachableFields,
});
/**
 * A step's machine could not be reached for management (once per run and location): its steps
 * end `unreachable` from now on, the others go on.
 */
export type TargetUnreachableEvent = z.infer<typeof TargetUnreachableSchema>;

const CausesRankedSchema = z.strictObject({
  type: z.literal('causes.ranked'),
  causes: z.array(rankedCause),
  /** False when no diagnose step was selected: nothing was diagnosed. */
  diagnosed: z.boolean(),
  /** Diagnose steps that did not run (their causes are unknown). */
  notRun: z.array(stepNotRun),
});
/** Causes ranked over every finding so far. */
export type CausesRankedEvent = z.infer<typeof CausesRankedSchema>;

const CauseRecheckSchema = z.strictObject({
  type: z.literal('cause.recheck'),
  cause: z.string(),
  fixedBy: z.string(),
  cleared: z.boolean(),
});
/** After a fix, its cause was diagnosed again. */
export type CauseRecheckEvent = z.infer<typeof CauseRecheckSchema>;

const PromptAnsweredSchema = z.strictObject({
  type: z.literal('prompt.answered'),
  stepId: z.string(),
  question: z.enum(['fix', 'keep', 'step']),
  answer: z.string(),
  by: z.enum(['prompt', 'yes', 'policy', 'timeout', 'verify']),
});
/** The admin was asked something and answered (or a timeout answered). */
export type PromptAnsweredEvent = z.infer<typeof PromptAnsweredSchema>;

const RollbackStartSchema = z.strictObject({
  type: z.literal('rollback.start'),
  reason: z.string(),
  steps: z.array(z.string()),
});
/** Undoing changes began. */
export type RollbackStartEvent = z.infer<typeof RollbackStartSchema>;

const RollbackStepSchema = z.strictObject({
  type: z.literal('rollback.step'),
  stepId: z.string(),
  status: undoStatus,
  note: z.string().optional(),
  error: scriptError.optional(),
  /** The fresh test state when it does not match the before-state. */
  state: z.unknown().optional(),
  before: z.unknown().optional(),
});
/** One undo finished. */
export type RollbackStepEvent = z.infer<typeof RollbackStepSchema>;

const ServerRevertSchema = z.strictObject({
  type: z.literal('step.serverRevert'),
  stepId: z.string(),
  outcome: z.enum(['armed', 'confirmed', 'autoReverted', 'revertUnverified']),
  /** When the target reverts unless confirmed (its clock, UTC ISO 8601). */
  deadline: z.string().optional(),
  note: z.string().optional(),
  /** The fresh test state and the before-state, when they do not match. */
  state: z.unknown().optional(),
  before: z.unknown().optional(),
});
/** A server-side revert changed state: armed before apply, then confirmed, auto-reverted or unverified. */
export type ServerRevertEvent = z.infer<typeof ServerRevertSchema>;

const RollbackEndSchema = z.strictObject({ type: z.literal('rollback.end'), status: undoStatus });
/** Undoing changes finished. */
export type RollbackEndEvent = z.infer<typeof RollbackEndSchema>;

const SummarySchema = z.strictObject({
  type: z.literal('summary'),
  runId: z.string(),
  outcome,
  counts,
  causes: z.array(rankedCause),
  fixed: z.array(z.string()),
  remaining: z.array(z.string()),
  /** Causes left unknown: diagnose steps their evidence depends on did not run. */
  unknown: z.array(z.string()),
  /** False when no diagnose step was selected. */
  diagnosed: z.boolean(),
  /** Diagnose steps that did not run, and fix steps skipped at a --step prompt. */
  notRun: z.array(stepNotRun),
  journalPath: z.string(),
  durationMs: z.number(),
  /** --no-rollback left changes in place after a failure. */
  keptPartialChanges: z.boolean(),
  /** The target could not be reached: why, and the steps that did not run (or were cut short). */
  unreachable: z.strictObject({ ...unreachableFields, on, steps: z.array(z.string()) }).optional(),
});
/** The run ended. */
export type SummaryEvent = z.infer<typeof SummarySchema>;

/** One line of `--output ndjson`: any engine event. */
export const EngineEventSchema = z
  .discriminatedUnion('type', [
    RunStartSchema,
    RunCrashFoundSchema,
    StepStartSchema,
    StepProgressSchema,
    StepDiffSchema,
    StepEndSchema,
    TargetUnreachableSchema,
    CausesRankedSchema,
    CauseRecheckSchema,
    PromptAnsweredSchema,
    RollbackStartSchema,
    RollbackStepSchema,
    ServerRevertSchema,
    RollbackEndSchema,
    SummarySchema,
  ])
  .meta({ title: 'psremedy run event', description: 'One line of `psremedy run --output ndjson`.' });

/** Any engine event. */
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** Receives engine events; must not throw. */
export type EventSink = (event: EngineEvent) => void;

/** The JSON Schema text committed at schema/events.schema.json. */
export function formatEventsJsonSchema(): string {
  const schema = z.toJSONSchema(EngineEventSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
