import type { LoadedPlaybook, ParamValue } from '../playbook/index.js';
import type { RiskLevel } from './approval-format.js';
import { type ApprovalIdentity, type VerifyOptions, verifyApproval } from './verify-approval.js';

/** The checks every unattended run passed before it started, in the order they ran. */
export const APPROVAL_CHECKS = [
  'format',
  'trusted-key',
  'signature',
  'validity',
  'bundle',
  'no-file-loads',
  'steps',
  'params',
  'targets',
];

/** The journal record an unattended run starts with (the engine's `approval` record, before stamping). */
export interface ApprovalJournalRecord {
  type: 'approval';
  details: Record<string, unknown>;
}

/** The policy an unattended run hands the engine (structurally the engine's RunPolicy). */
export interface UnattendedPolicy {
  allowedFixSteps: Set<string>;
  maxRisk: RiskLevel;
  onStart(journal: { runId: string; append(record: ApprovalJournalRecord): void }): void;
}

/** Everything the run command needs once an approval verified. */
export interface UnattendedRun {
  /** Loaded once; its scripts' text was checked against the approved bytes. */
  playbook: LoadedPlaybook;
  /** Resolved params (given, fixed by the approval, or defaults), all inside the approval. */
  params: Record<string, ParamValue>;
  policy: UnattendedPolicy;
  identity: ApprovalIdentity;
  /** The hosts the approval allowed this run to reach. */
  targets: string[];
}

/** The `approval` journal record: who approved what, and that every check passed. */
export function buildApprovalRecord(identity: ApprovalIdentity): ApprovalJournalRecord {
  return { type: 'approval', details: { result: 'verified', checks: APPROVAL_CHECKS, ...identity } };
}

/**
 * Verifies an approval for `psremedy run --unattended` before any PowerShell starts and returns
 * what the run uses: the verified playbook (run it, never a fresh load), the params, and a policy
 * that skips unapproved fix steps (`not approved`) and journals the approval first. Throws
 * ApprovalError (exit 4) on any refusal.
 */
export async function prepareUnattendedRun(options: VerifyOptions): Promise<UnattendedRun> {
  const verified = await verifyApproval(options);
  const record = buildApprovalRecord(verified.identity);
  return {
    playbook: verified.playbook,
    params: verified.params,
    identity: verified.identity,
    targets: verified.identity.targets,
    policy: {
      allowedFixSteps: new Set(verified.approval.policy.fixSteps),
      maxRisk: verified.approval.policy.maxRisk,
      onStart: (journal) => journal.append(record),
    },
  };
}
