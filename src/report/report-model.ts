import { z } from 'zod';
import { UNREACHABLE_REASONS } from '../core/unreachable.js';

/**
 * The JSON report of one run, built from its journal alone. One definition gives the TypeScript
 * type, the check used in tests and `schema/report.schema.json`.
 */
const ScriptErrorShape = z
  .object({
    message: z.string(),
    type: z.string().optional(),
    category: z.string().optional(),
    fullyQualifiedErrorId: z.string().optional(),
    scriptStackTrace: z.string().optional(),
    line: z.number().optional(),
  })
  .meta({ description: 'What PowerShell reported when a script failed.' });

const Finding = z.object({ cause: z.string(), confidence: z.number(), evidence: z.string() });

const RankedCause = z.object({
  cause: z.string(),
  title: z.string(),
  confidence: z.number().meta({ description: 'Combined confidence 0..1 over agreeing findings.' }),
  agreeing: z.number().int().meta({ description: 'How many diagnose steps reported this cause.' }),
  detected: z.boolean(),
  evidence: z.array(z.object({ stepId: z.string(), confidence: z.number(), evidence: z.string() })),
  remains: z
    .boolean()
    .meta({ description: 'Detected at diagnosis and still detected at the end of the run.' }),
  unknownBecause: z.array(z.string()).optional().meta({
    description: 'Unknown (never detected): its evidence depends on these steps, which did not run.',
  }),
});

const ReportStep = z.object({
  stepId: z.string(),
  title: z.string(),
  kind: z.enum(['diagnose', 'fix']),
  on: z.enum(['client', 'target']),
  phase: z.enum(['diagnose', 'fix', 'recheck']),
  status: z.string().meta({
    description:
      'A step state (ok, changed, skipped, failed, timedOut, ...); "unfinished" when the journal ends inside it.',
  }),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  reason: z.string().optional(),
  result: z.unknown().optional(),
  findings: z.array(Finding).optional(),
  error: ScriptErrorShape.optional(),
  decision: z.object({ decision: z.string(), by: z.string() }).optional(),
  fixes: z.array(z.string()).optional().meta({ description: "A fix step's causes (its `fixes:`)." }),
});

const ReportChange = z.object({
  stepId: z.string(),
  title: z.string(),
  risk: z.enum(['low', 'medium', 'high', 'disruptive']),
  fixes: z.array(z.string()),
  before: z.unknown(),
  after: z.unknown().optional(),
  verified: z
    .boolean()
    .nullable()
    .meta({ description: 'The fresh test after apply: true compliant, false not, null not run.' }),
  status: z
    .enum([
      'kept',
      'rolledBack',
      'autoReverted',
      'revertUnverified',
      'rollbackFailed',
      'applyFailed',
      'intentOnly',
    ])
    .meta({
      description:
        'What became of the change: kept, undone (verified or not; autoReverted: by the server itself), or never completed.',
    }),
  serverRevert: z.enum(['armed', 'confirmed', 'autoReverted', 'revertUnverified']).optional().meta({
    description:
      'revertUnlessConfirmed on a remote target: the last state of the revert task the server held (armed = never settled).',
  }),
  undoNote: z.string().optional(),
});

const StepNotRun = z.object({ stepId: z.string(), status: z.string(), reason: z.string().optional() }).meta({
  description:
    'A diagnose step that did not run (status notRun: never started), or a fix step skipped at a --step prompt.',
});

const TimelineEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  type: z.string(),
  stepId: z.string().optional(),
  text: z.string(),
});

const Recap = z
  .object({
    verdict: z.string(),
    causes: z.array(
      z.object({
        cause: z.string(),
        title: z.string(),
        confidence: z.number(),
        fate: z.enum(['fixed', 'remains']),
        fixedBy: z.string().optional(),
        why: z.string().optional(),
        next: z.string().optional(),
      }),
    ),
    changes: z.array(
      z.object({
        stepId: z.string(),
        title: z.string(),
        status: ReportChange.shape.status,
        verified: z.boolean().nullable(),
        undo: z.string(),
      }),
    ),
    unknown: z
      .array(z.object({ cause: z.string(), title: z.string(), needs: z.array(z.string()) }))
      .optional()
      .meta({
        description: 'Causes neither detected nor ruled out: the diagnose steps they need did not run.',
      }),
    notRun: z.array(StepNotRun).optional(),
    diagnosed: z.boolean().optional().meta({ description: 'False when no diagnose step was selected.' }),
    rollbackCommand: z.string().optional(),
    notInspected: z
      .object({
        side: z.enum(['server', 'client']),
        target: z.string(),
        why: z.string(),
        detail: z.string(),
        next: z.string(),
        steps: z.array(z.string()),
      })
      .optional()
      .meta({
        description: 'The side the run could not reach for management: why, what to do, the steps not run.',
      }),
    exitCode: z.number().int().optional(),
    exitMeaning: z.string(),
  })
  .meta({
    description:
      'What the run came to, for a ticket: causes fixed or remaining (why, next), changes and their undo.',
  });

/** The report of one run. */
export const RunReport = z.object({
  reportVersion: z.literal(1),
  runId: z.string(),
  playbook: z.object({ name: z.string(), title: z.string(), file: z.string(), sha256: z.string() }),
  scripts: z
    .record(z.string(), z.string())
    .meta({ description: 'Every script the playbook can reach: path -> sha256.' }),
  outcome: z.enum(['ok', 'changed', 'problemsRemain', 'unreachable', 'rolledBack', 'cancelled', 'crashed']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  target: z.string(),
  lab: z.object({ scenario: z.string(), statePaths: z.array(z.string()) }).optional(),
  params: z
    .record(z.string(), z.unknown())
    .meta({ description: 'Param values; secret params are never included.' }),
  secretParams: z.array(z.string()),
  options: z.record(z.string(), z.unknown()),
  approval: z.record(z.string(), z.unknown()).optional(),
  host: z.object({ name: z.string(), user: z.string(), psremedyVersion: z.string() }),
  causes: z.array(RankedCause),
  steps: z.array(ReportStep),
  changes: z.array(ReportChange),
  fixed: z.array(z.string()),
  remaining: z.array(z.string()),
  unreachable: z
    .object({
      on: z.enum(['client', 'target']),
      target: z.string(),
      reason: z.enum(UNREACHABLE_REASONS),
      detail: z.string(),
      waitedMs: z.number(),
    })
    .optional()
    .meta({ description: 'A machine the run could not reach for management: its side was not inspected.' }),
  notRun: z.array(StepNotRun).optional(),
  diagnosed: z
    .boolean()
    .optional()
    .meta({ description: 'False when no diagnose step was selected: nothing was diagnosed.' }),
  timeline: z.array(TimelineEntry),
  recap: Recap,
});

export type RunReport = z.infer<typeof RunReport>;
export type ReportStep = z.infer<typeof ReportStep>;
export type ReportChange = z.infer<typeof ReportChange>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type RunRecap = z.infer<typeof Recap>;

/** The JSON Schema of the report, for tools that consume `psremedy report --format json`. */
export function reportJsonSchema(): unknown {
  return z.toJSONSchema(RunReport, { io: 'output', unrepresentable: 'any' });
}
