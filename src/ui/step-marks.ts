/**
 * How a finished step is marked on every screen and in reports, as Ansible marks ok / changed /
 * failed: one row per status (adding a status is one line here), plus `found` for a diagnose
 * step whose findings name a likely cause.
 */
import type { Finding, StepStatus } from '../core/step-status.js';
import type { Colors } from './colors.js';

/** A step status, or `found`: a diagnose step that ran fine and found a problem. */
export type StepVerdict = StepStatus | 'found';

/** How good a verdict is, which picks its colour. */
export type MarkTone = 'good' | 'warn' | 'changed' | 'quiet' | 'bad' | 'plain';

/** The mark of one verdict: a one-column symbol, the word shown beside it, and its tone. */
export interface StepMark {
  symbol: string;
  word: string;
  tone: MarkTone;
}

/** Every verdict's mark. */
export const STEP_MARKS: Record<StepVerdict, StepMark> = {
  pending: { symbol: '·', word: 'pending', tone: 'plain' },
  running: { symbol: '…', word: 'running', tone: 'plain' },
  ok: { symbol: '✔', word: 'ok', tone: 'good' },
  found: { symbol: '⚠', word: 'found', tone: 'warn' },
  changed: { symbol: '✎', word: 'changed', tone: 'changed' },
  skipped: { symbol: '↓', word: 'skipped', tone: 'quiet' },
  failed: { symbol: '✖', word: 'FAILED', tone: 'bad' },
  timedOut: { symbol: '✖', word: 'TIMED OUT', tone: 'bad' },
  unreachable: { symbol: '✖', word: 'UNREACHABLE', tone: 'bad' },
  rollingBack: { symbol: '↺', word: 'rolling back', tone: 'changed' },
  rolledBack: { symbol: '↩', word: 'rolled back', tone: 'changed' },
  autoReverted: { symbol: '↩', word: 'auto-reverted', tone: 'changed' },
  revertUnverified: { symbol: '✖', word: 'REVERT UNVERIFIED', tone: 'bad' },
  rollbackFailed: { symbol: '✖', word: 'ROLLBACK FAILED', tone: 'bad' },
  cancelled: { symbol: '■', word: 'cancelled', tone: 'quiet' },
};

/** A cause counts as found by a step from this confidence on (the engine's "detected" line). */
export const FOUND_AT = 0.5;

/** What a finished step is marked as: `found` when a diagnose step that ran fine found a problem. */
export function verdictOf(step: {
  kind: string;
  status: string;
  findings?: Finding[] | undefined;
}): StepVerdict {
  const status = (step.status in STEP_MARKS ? step.status : 'pending') as StepStatus;
  if (step.kind === 'diagnose' && status === 'ok' && foundProblem(step.findings)) return 'found';
  return status;
}

/**
 * True when a step's findings say something is wrong: one cause at FOUND_AT or more, or several
 * weaker ones that together reach it (a TCP timeout: the firewall, the network or the adapter).
 */
export function foundProblem(findings: Finding[] | undefined): boolean {
  const clear = (findings ?? []).reduce((p, f) => p * (1 - Math.min(1, Math.max(0, f.confidence))), 1);
  return 1 - clear >= FOUND_AT;
}

/**
 * What a diagnose step concluded, in a few words: `found: firewall-closed 90%`, `found a problem,
 * cause unclear: firewall-closed 25%, port-unreachable 25%`, or `no problem`.
 */
export function describeFindings(findings: Finding[] | undefined): string {
  if (!foundProblem(findings)) return 'no problem';
  const pct = (f: Finding) => `${f.cause} ${formatConfidence(f.confidence)}`;
  const named = (findings ?? []).filter((f) => f.confidence > 0).sort((a, b) => b.confidence - a.confidence);
  const strong = named.filter((f) => f.confidence >= FOUND_AT);
  if (strong.length > 0) return `found: ${strong.map(pct).join(', ')}`;
  return `found a problem, cause unclear: ${named.slice(0, 3).map(pct).join(', ')}`;
}

/** A confidence as a percentage. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** Text in the colour of a mark's tone. */
export function paintTone(tone: MarkTone, text: string, c: Colors): string {
  if (tone === 'good') return c.green(text);
  if (tone === 'warn') return c.bold(c.yellow(text));
  if (tone === 'changed') return c.yellow(text);
  if (tone === 'quiet') return c.dim(text);
  if (tone === 'bad') return c.bold(c.red(text));
  return text;
}

/** A step's mark symbol, coloured. */
export function formatMark(verdict: StepVerdict, c: Colors): string {
  const mark = STEP_MARKS[verdict];
  return paintTone(mark.tone, mark.symbol, c);
}
