/** The hook unattended runs use: fix steps outside the policy are skipped, never prompted. */
import type { Risk } from '../playbook/schema.js';
import type { NewJournalRecord } from './journal-records.js';

/** Which fix steps a run may apply without asking, and a hook to journal the approval. */
export interface RunPolicy {
  /** Fix step ids that may be applied; undefined allows every step within `maxRisk`. */
  allowedFixSteps?: Set<string>;
  maxRisk?: Risk;
  /** Called once the journal exists and before any step runs, e.g. to append an `approval` record. */
  onStart?(journal: { runId: string; append(record: NewJournalRecord): void }): void | Promise<void>;
}

const RISK_ORDER: Risk[] = ['low', 'medium', 'high', 'disruptive'];

/** Whether a policy allows a fix step; the reason when it does not. */
export function checkPolicy(policy: RunPolicy, step: { id: string; risk: Risk }): string | undefined {
  if (policy.allowedFixSteps && !policy.allowedFixSteps.has(step.id)) return 'not approved';
  if (policy.maxRisk && RISK_ORDER.indexOf(step.risk) > RISK_ORDER.indexOf(policy.maxRisk))
    return `not approved (risk ${step.risk} above ${policy.maxRisk})`;
  return undefined;
}
