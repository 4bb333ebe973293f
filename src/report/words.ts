import type { RunReport } from './report-model.js';

const OUTCOMES: Record<RunReport['outcome'], string> = {
  ok: 'Nothing needed fixing',
  changed: 'Fixed and verified',
  problemsRemain: 'Problems remain',
  unreachable:
    'The server could not be reached for management: its side was not inspected, problems may remain',
  rolledBack: 'Changes were rolled back',
  cancelled: 'Cancelled',
  crashed: 'Did not finish (psremedy stopped mid-run): run `psremedy rollback` or `psremedy resume`',
};

/** A machine the run could not reach, in one sentence: why, what to do, and what the causes rest on. */
export function describeUnreachable(notInspected: NonNullable<RunReport['recap']['notInspected']>): string {
  const other = notInspected.side === 'server' ? "client's" : "server's";
  return `The ${notInspected.side} was not inspected: ${notInspected.target} could not be reached for management: ${notInspected.why} (${notInspected.detail}). Next: ${notInspected.next}. The causes come from the ${other} evidence alone.`;
}

const CHANGE_STATUSES: Record<RunReport['changes'][number]['status'], string> = {
  kept: 'changed',
  rolledBack: 'rolled back',
  autoReverted: 'reverted by the server itself (auto-reverted), verified',
  revertUnverified: 'REVERT UNVERIFIED',
  rollbackFailed: 'ROLLBACK FAILED',
  applyFailed: 'apply FAILED',
  intentOnly: 'interrupted while applying',
};

/** What became of a change, in words; a kept change says whether its verify passed. */
export function describeChangeStatus(change: {
  status: RunReport['changes'][number]['status'];
  verified: boolean | null;
  serverRevert?: RunReport['changes'][number]['serverRevert'];
}): string {
  const verified = change.status !== 'kept' ? '' : change.verified ? ', verified' : ', NOT verified';
  const confirmed =
    change.status === 'kept' && change.serverRevert === 'confirmed' ? ', confirmed on the server' : '';
  return `${CHANGE_STATUSES[change.status]}${verified}${confirmed}`;
}

/** The outcome of a run in words. */
export function describeOutcome(outcome: RunReport['outcome']): string {
  return OUTCOMES[outcome];
}

/** What the summary says when no cause was detected: never "none" about a diagnosis that did not run. */
export function describeNoCause(recap: RunReport['recap']): string {
  if (recap.diagnosed === false) return 'Not diagnosed: no diagnose step was selected.';
  return recap.unknown || recap.notRun
    ? 'No cause was detected by the steps that ran.'
    : 'No cause was detected.';
}

/** Steps that did not run, with why: `dns (skipped at the prompt), tcp (the target said no)`. */
export function describeNotRun(notRun: NonNullable<RunReport['recap']['notRun']>): string {
  return notRun
    .map((s) => `${s.stepId} (${s.reason ?? (s.status === 'notRun' ? 'not run' : s.status)})`)
    .join(', ');
}

/** `1 finding`, `3 findings`: a count with its noun, in the plural when it is not one. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A value on one line: strings as they are, anything else as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
