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

/** A machine the run could not reach, in one sentence. */
export function describeUnreachable(unreachable: NonNullable<RunReport['unreachable']>): string {
  const side = unreachable.on === 'target' ? 'server' : 'client';
  return `The ${side} was not inspected: ${unreachable.target} could not be reached for management (${unreachable.reason}: ${unreachable.detail}). The causes below come from the other side's evidence alone.`;
}

/** The outcome of a run in words. */
export function describeOutcome(outcome: RunReport['outcome']): string {
  return OUTCOMES[outcome];
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
