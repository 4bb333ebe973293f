import { z } from 'zod';
import { ApprovalError } from '../core/errors.js';
import { findDuplicateJsonKey } from './duplicate-json-keys.js';

/** The `format` every approval file carries; a verifier refuses any other. */
export const APPROVAL_FORMAT = 'psremedy-approval/v1';

/** Fix-step risk levels, lowest first. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'disruptive'] as const;

const BundleFileSchema = z.strictObject({
  path: z.string().min(1).meta({ description: 'Relative to the playbook folder, with / separators.' }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'),
  size: z.number().int().nonnegative(),
});

/** How one param is held by an approval: a fixed value, or a pattern the value must fully match. */
export const ParamRuleSchema = z.union([
  z.strictObject({ equals: z.string() }).meta({ description: 'The param must have exactly this value.' }),
  z
    .strictObject({ matches: z.string() })
    .meta({ description: 'The whole value must match this regular expression.' }),
]);

/** An approval file: what was approved, by whom, until when, and the Ed25519 signature. */
export const ApprovalSchema = z
  .strictObject({
    format: z.literal(APPROVAL_FORMAT),
    playbook: z.strictObject({
      name: z.string().min(1).meta({ description: 'The playbook name: field.' }),
      file: z.string().min(1).meta({ description: 'The bundle path of the playbook file itself.' }),
    }),
    bundle: z
      .strictObject({
        digest: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>')
          .meta({ description: 'sha256 of the canonical JSON (RFC 8785) of files.' }),
        files: z.array(BundleFileSchema).min(1),
      })
      .meta({ description: 'The playbook and every file it can reach, sorted by path.' }),
    policy: z.strictObject({
      fixSteps: z.array(z.string()).meta({ description: 'The ids of the fix steps that may apply changes.' }),
      maxRisk: z.enum(RISK_LEVELS).meta({ description: 'No approved fix step may be riskier than this.' }),
      targets: z.array(z.string().min(1)).meta({
        description: 'Hosts on: target steps may reach (case-insensitive, * matches any run of characters).',
      }),
      params: z.record(z.string(), ParamRuleSchema).meta({
        description: 'Params the run may give; a param not listed here must not be given.',
      }),
    }),
    approver: z.strictObject({
      name: z.string().min(1),
      keyFingerprint: z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'SHA256:<43 base64 characters>')
        .meta({ description: 'sha256 of the raw Ed25519 public key, base64 without padding.' }),
    }),
    created: z.iso.datetime(),
    expires: z.iso.datetime(),
    note: z.string().optional(),
    signature: z
      .strictObject({
        algorithm: z.literal('ed25519'),
        value: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'base64 of 64 bytes'),
      })
      .meta({ description: 'Ed25519 over the canonical JSON (RFC 8785) of every other field.' }),
  })
  .meta({
    title: 'psremedy approval',
    description: 'A signed approval for unattended runs of one playbook.',
  });

/** A parsed approval file. */
export type Approval = z.infer<typeof ApprovalSchema>;
/** An approval before it is signed. */
export type UnsignedApproval = Omit<Approval, 'signature'>;
/** How one param is held by an approval. */
export type ParamRule = z.infer<typeof ParamRuleSchema>;
/** A risk level. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Parses approval file text, refusing (`malformed-approval`) with the first field that is wrong. */
export function parseApproval(text: string, file: string): Approval {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ApprovalError(`${file} is not JSON: ${(error as Error).message}`, 'malformed-approval', {
      file,
      field: '',
    });
  }
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined)
    throw new ApprovalError(
      `${file}: field ${duplicate} appears twice; a reader could see another policy than the one checked; make a new approval with psremedy approve`,
      'malformed-approval',
      { file, field: duplicate },
    );
  const result = ApprovalSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [];
  const field = keys[0] ?? path;
  throw new ApprovalError(
    `${file}: field ${field || '(root)'}: ${issue?.message ?? 'invalid'}; make a new approval with psremedy approve`,
    'malformed-approval',
    { file, field },
  );
}

/** The JSON Schema of approval files (committed as schema/approval.schema.json). */
export function approvalJsonSchema(): object {
  return z.toJSONSchema(ApprovalSchema);
}
