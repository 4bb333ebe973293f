import { z } from 'zod';
import { durationRangeProblem } from './duration.js';

/** A duration such as `20s`, `2m`, `500ms`, `1h`, or a number of seconds; at most 24h. */
export const Duration = z
  .union([
    z.number().positive(),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'use a duration such as 500ms, 20s, 2m or 1h'),
  ])
  .superRefine((value, ctx) => {
    const problem = durationRangeProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'A duration: 500ms, 20s, 2m, 1h, or a number of seconds; at most 24h.' });

const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;
const slug = /^[a-z0-9][a-z0-9-]*$/;
const identifierHint = 'use letters, digits and _, starting with a letter';
const slugHint = 'use lowercase letters, digits and dashes';

/** A parameter the playbook takes (`--param K=V`). */
export const Param = z
  .strictObject({
    type: z
      .enum(['string', 'int', 'bool', 'enum'])
      .default('string')
      .meta({ description: 'How the value given on the command line is checked and converted.' }),
    required: z.boolean().default(false).meta({ description: 'The run refuses to start without it.' }),
    default: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .meta({ description: 'Used when the param is not given; must have the param type.' }),
    description: z.string().optional(),
    pattern: z
      .string()
      .optional()
      .meta({ description: 'A regular expression the whole string value must match.' }),
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
export const Cause = z
  .strictObject({
    id: z
      .string()
      .regex(slug, slugHint)
      .meta({ description: 'Named by findings and `fixes:`; in expressions: causes["<id>"].' }),
    title: z.string().min(1),
    description: z.string().optional(),
  })
  .meta({ description: 'A likely cause of the problem, ranked by the findings of diagnose steps.' });

/** Where a step runs: `client` is where psremedy runs, `target` the server. */
export const StepLocation = z
  .enum(['client', 'target'])
  .meta({ description: 'client: where psremedy runs; target: the server being repaired.' });

const stepCommon = {
  id: z
    .string()
    .regex(identifier, `${identifierHint} (it is used in expressions as steps.<id>)`)
    .meta({ description: 'Unique step id; later steps read its outcome as steps.<id>.' }),
  title: z.string().min(1).meta({ description: 'What the step finds out or changes, for people.' }),
  description: z.string().optional(),
  on: StepLocation.default('target'),
  with: z.record(z.string(), z.unknown()).optional().meta({
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    description: 'Named parameters passed to the script; strings may hold ${{ expressions }}.',
  }),
  when: z.string().optional().meta({
    description: 'A CEL expression; the step runs only when it is true, e.g. causes["x"].detected.',
  }),
  timeout: Duration.optional(),
};

/** A step that looks and reports findings; it never changes anything. */
export const DiagnoseStep = z
  .strictObject({
    ...stepCommon,
    kind: z.literal('diagnose'),
    script: z.string().min(1).meta({
      description: 'Path of the .ps1, relative to the playbook file; returns { findings: [...] }.',
    }),
    needs: z.array(z.string()).optional().meta({
      description:
        'Ids of diagnose steps that must end before this one starts (reading steps.<id> implies it); steps whose needs are met run at the same time.',
    }),
  })
  .meta({ description: 'A step that gathers evidence and reports findings; it changes nothing.' });

/** `undo: { none: "why" }`: a fix that cannot be undone must say why. */
export const NoUndo = z
  .strictObject({
    none: z.string().trim().min(1, 'say why this change cannot be undone').meta({
      description: 'Why this change cannot be undone.',
    }),
  })
  .meta({ description: 'For a change that cannot be undone: the reason, shown before confirming.' });

/** A step that changes the target: test, apply, undo (the DSC Test/Set idea, plus undo). */
export const FixStep = z
  .strictObject({
    ...stepCommon,
    kind: z.literal('fix'),
    fixes: z.array(z.string()).default([]).meta({ description: 'The cause ids this step remedies.' }),
    test: z.string().min(1).meta({ description: 'Script returning { compliant, state }.' }),
    apply: z
      .string()
      .min(1)
      .meta({ description: 'Script making the change, returning { changed, before, after }.' }),
    undo: z.union([z.string().min(1), NoUndo]).meta({
      description: 'Script taking -Before and putting it back, or { none: "why it cannot be undone" }.',
    }),
    risk: z
      .enum(['low', 'medium', 'high', 'disruptive'])
      .meta({ description: 'How much harm a wrong change could do; approvals cap it.' }),
    confirm: z.string().optional().meta({ description: 'Extra words shown in the confirmation prompt.' }),
    revertUnlessConfirmed: Duration.optional().meta({
      description:
        'Undo the change unless the admin confirms it within this time (changes that can cut the connection).',
    }),
  })
  .meta({ description: 'A step that tests, changes and can undo a setting on its machine.' });

/** One step of a playbook. */
export const Step = z.discriminatedUnion('kind', [DiagnoseStep, FixStep]);

/** Where `on: target` steps run; the host usually comes from a param. */
export const Target = z.strictObject({
  // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
  host: z.string().min(1).meta({ description: 'Host name, usually "${{ params.ComputerName }}".' }),
  transport: z.enum(['ssh', 'winrm']).default('winrm'),
  port: z.number().int().positive().optional(),
  user: z.string().optional(),
});

/** A whole playbook file. */
export const Playbook = z
  .strictObject({
    apiVersion: z.literal('psremedy/v1'),
    name: z.string().regex(slug, slugHint),
    title: z.string().min(1),
    description: z.string().optional(),
    target: Target.optional(),
    params: z.record(z.string().regex(identifier, identifierHint), Param).default({}),
    causes: z.array(Cause).default([]),
    steps: z.array(Step).min(1, 'a playbook needs at least one step'),
  })
  .meta({
    title: 'psremedy playbook',
    description: 'Diagnose and fix steps, each carried out by a PowerShell script.',
  });

export type PlaybookDoc = z.infer<typeof Playbook>;
export type StepDoc = z.infer<typeof Step>;
export type DiagnoseStepDoc = z.infer<typeof DiagnoseStep>;
export type FixStepDoc = z.infer<typeof FixStep>;
export type ParamDoc = z.infer<typeof Param>;
export type CauseDoc = z.infer<typeof Cause>;
export type Risk = FixStepDoc['risk'];
