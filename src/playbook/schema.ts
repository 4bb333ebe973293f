import { z } from 'zod';

/** A duration such as `20s`, `2m`, `500ms`, `1h`, or a number of seconds. */
export const Duration = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/)])
  .meta({ description: 'A duration: 500ms, 20s, 2m, 1h, or a number of seconds.' });

const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;
const slug = /^[a-z0-9][a-z0-9-]*$/;

/** A parameter the playbook takes (`--param K=V`). */
export const Param = z
  .strictObject({
    type: z.enum(['string', 'int', 'bool', 'enum']).default('string'),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
    pattern: z.string().optional().meta({ description: 'A regular expression a string value must match.' }),
    values: z
      .array(z.string())
      .min(1)
      .optional()
      .meta({ description: 'The allowed values of an enum param.' }),
    secret: z
      .boolean()
      .default(false)
      .meta({ description: 'Never written to the journal, logs or reports.' }),
  })
  .meta({ description: 'A playbook parameter.' });

/** A cause the playbook can diagnose and fix. */
export const Cause = z.strictObject({
  id: z.string().regex(slug, 'use lowercase letters, digits and dashes'),
  title: z.string().min(1),
  description: z.string().optional(),
});

/** Where a step runs: `client` is where psremedy runs, `target` the server. */
export const StepLocation = z.enum(['client', 'target']);

const stepCommon = {
  id: z.string().regex(identifier, 'use letters, digits and _ (it is used in expressions as steps.<id>)'),
  title: z.string().min(1),
  description: z.string().optional(),
  on: StepLocation.default('target'),
  with: z.record(z.string(), z.unknown()).optional().meta({
    description: 'Parameters passed to the script; strings may hold ${{ expressions }}.',
  }),
  when: z.string().optional().meta({ description: 'A CEL expression; the step runs only when it is true.' }),
  timeout: Duration.optional(),
};

/** A step that looks and reports findings; it never changes anything. */
export const DiagnoseStep = z.strictObject({
  ...stepCommon,
  kind: z.literal('diagnose'),
  script: z.string().min(1).meta({ description: 'Path of the .ps1, relative to the playbook file.' }),
});

/** `undo: { none: "why" }`: a fix that cannot be undone must say why. */
export const NoUndo = z.strictObject({ none: z.string().min(1) });

/** A step that changes the target: test, apply, undo (the DSC Test/Set idea, plus undo). */
export const FixStep = z.strictObject({
  ...stepCommon,
  kind: z.literal('fix'),
  fixes: z.array(z.string()).default([]).meta({ description: 'The cause ids this step remedies.' }),
  test: z.string().min(1).meta({ description: 'Script returning { compliant, state }.' }),
  apply: z
    .string()
    .min(1)
    .meta({ description: 'Script making the change, returning { changed, before, after }.' }),
  undo: z.union([z.string().min(1), NoUndo]),
  risk: z.enum(['low', 'medium', 'high', 'disruptive']),
  confirm: z.string().optional().meta({ description: 'Extra words shown in the confirmation prompt.' }),
  revertUnlessConfirmed: Duration.optional().meta({
    description:
      'Undo the change unless the admin confirms it within this time (changes that can cut the connection).',
  }),
});

/** One step of a playbook. */
export const Step = z.discriminatedUnion('kind', [DiagnoseStep, FixStep]);

/** Where `on: target` steps run; the host usually comes from a param. */
export const Target = z.strictObject({
  host: z.string().min(1).meta({ description: 'Host name, usually "${{ params.ComputerName }}".' }),
  transport: z.enum(['ssh', 'winrm']).default('winrm'),
  port: z.number().int().positive().optional(),
  user: z.string().optional(),
});

/** A whole playbook file. */
export const Playbook = z.strictObject({
  apiVersion: z.literal('psremedy/v1'),
  name: z.string().regex(slug, 'use lowercase letters, digits and dashes'),
  title: z.string().min(1),
  description: z.string().optional(),
  target: Target.optional(),
  params: z.record(z.string().regex(identifier), Param).default({}),
  causes: z.array(Cause).default([]),
  steps: z.array(Step).min(1),
});

export type PlaybookDoc = z.infer<typeof Playbook>;
export type StepDoc = z.infer<typeof Step>;
export type DiagnoseStepDoc = z.infer<typeof DiagnoseStep>;
export type FixStepDoc = z.infer<typeof FixStep>;
export type ParamDoc = z.infer<typeof Param>;
export type CauseDoc = z.infer<typeof Cause>;
export type Risk = FixStepDoc['risk'];
