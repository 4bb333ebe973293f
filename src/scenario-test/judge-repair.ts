/** Repair check: the run ended fixed, and a fresh diagnosis of the host finds nothing wrong. */
import type { RankedCause, RunOutcome } from '../engine/journal-records.js';
import { describeCause, type StepProblem } from './judge-diagnosis.js';
import type { CheckResult } from './scenario-result.js';

/** How the diagnose-and-repair run ended. */
export interface RepairRun {
  outcome: RunOutcome;
  fixed: string[];
  remaining: string[];
  /** Steps of the run that failed or timed out (fix steps, re-checks). */
  problems: StepProblem[];
}

/**
 * A diagnose step whose result carries a boolean `succeeded` (the RDP handshake probe does) is a
 * probe: after a repair it must have succeeded.
 */
export interface ProbeResult {
  stepId: string;
  succeeded: boolean;
  /** The probe's own words when it failed (its `stage`, `error` or first finding). */
  detail?: string;
}

/** What the diagnose steps said about the host after the repair. */
export interface Rediagnosis {
  outcome: RunOutcome;
  detected: RankedCause[];
  problems: StepProblem[];
  probes: ProbeResult[];
}

/** Judges the run's end and the re-diagnosis after it; `expected` empty means a healthy host. */
export function judgeRepair(
  expected: string[],
  run: RepairRun,
  after: Rediagnosis | undefined,
): Omit<CheckResult, 'durationMs'> {
  const details = run.problems.map((p) => `step ${p.stepId} ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
  const failures: string[] = [];
  if (expected.length === 0) {
    if (run.outcome !== 'ok' || run.fixed.length > 0)
      failures.push(
        `a healthy host, but the run ended ${run.outcome}${run.fixed.length ? ` after changing ${run.fixed.join(', ')}` : ''}`,
      );
  } else if (run.outcome !== 'changed' && run.outcome !== 'ok') {
    failures.push(`the run ended ${run.outcome}`);
  }
  if (run.remaining.length > 0) failures.push(`causes remain after the run: ${run.remaining.join(', ')}`);

  const clean: string[] = [];
  if (!after) failures.push('no re-diagnosis after the run');
  else {
    if (after.detected.length > 0)
      failures.push(`re-diagnosis still detects ${after.detected.map(describeCause).join(', ')}`);
    for (const p of after.problems)
      failures.push(`re-diagnosis step ${p.stepId} ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
    for (const probe of after.probes) {
      if (probe.succeeded) clean.push(`${probe.stepId} probe succeeded`);
      else failures.push(`${probe.stepId} probe failed${probe.detail ? `: ${probe.detail}` : ''}`);
    }
  }
  if (failures.length > 0) return { passed: false, reason: failures.join('; '), details };
  const what = run.fixed.length > 0 ? `fixed by ${run.fixed.join(', ')}` : 'nothing to change';
  return {
    passed: true,
    reason: [what, 're-diagnosis finds no cause', ...clean].join('; '),
    details,
  };
}
