/**
 * Repair check: the run ended fixed, and a fresh diagnosis of the host finds nothing wrong. A
 * planted cause that no fix step of the playbook names (a client's DNS, a network path) cannot
 * be repaired by it: such a cause must be left reported as remaining, and nothing else.
 */
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
  /** The probe's own words when it failed (its stage, error and strongest finding). */
  detail?: string;
}

/** What the diagnose steps said about the host after the repair. */
export interface Rediagnosis {
  outcome: RunOutcome;
  detected: RankedCause[];
  problems: StepProblem[];
  probes: ProbeResult[];
}

/** The scenario's expectations: its planted causes, and those no fix step of the playbook names. */
export interface RepairExpectation {
  expected: string[];
  unfixable: string[];
}

/** Judges the run's end and the re-diagnosis after it; no expected causes means a healthy host. */
export function judgeRepair(
  { expected, unfixable }: RepairExpectation,
  run: RepairRun,
  after: Rediagnosis | undefined,
): Omit<CheckResult, 'durationMs'> {
  const failures: string[] = [];
  const notes: string[] = [];
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (expected.length === 0) {
    if (run.outcome !== 'ok' || run.fixed.length > 0)
      failures.push(
        `a healthy host, but the run ended ${run.outcome}${run.fixed.length ? ` after changing ${run.fixed.join(', ')}` : ''}`,
      );
  } else if (unfixable.length === 0 && run.outcome !== 'changed' && run.outcome !== 'ok') {
    failures.push(`the run ended ${run.outcome}`);
  }
  for (const p of run.problems)
    failures.push(`step ${p.stepId} ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
  if (!sameSet(run.remaining, unfixable))
    failures.push(
      run.remaining.length > 0
        ? `causes remain after the run: ${run.remaining.join(', ')}`
        : `the run reports nothing remaining, though no fix step names ${unfixable.join(', ')}`,
    );
  else if (unfixable.length > 0)
    notes.push(
      `${unfixable.join(', ')}: no fix step in the playbook or its fix declines, reported as remaining`,
    );

  if (!after) failures.push('no re-diagnosis after the run');
  else {
    const still = after.detected.filter((c) => !unfixable.includes(c.cause));
    if (still.length > 0) failures.push(`re-diagnosis still detects ${still.map(describeCause).join(', ')}`);
    const lost = unfixable.filter((id) => !after.detected.some((c) => c.cause === id));
    if (lost.length > 0)
      failures.push(`re-diagnosis no longer detects ${lost.join(', ')}, which nothing fixed`);
    for (const p of after.problems)
      failures.push(`re-diagnosis step ${p.stepId} ${p.status}${p.reason ? `: ${p.reason}` : ''}`);
    for (const probe of after.probes) {
      if (probe.succeeded) notes.push(`${probe.stepId} probe succeeded`);
      // With an unrepairable cause planted the host cannot be healthy, so a probe may fail.
      else if (unfixable.length === 0)
        failures.push(`${probe.stepId} probe failed${probe.detail ? `: ${probe.detail}` : ''}`);
    }
  }
  if (failures.length > 0) return { passed: false, reason: failures.join('; '), details: [] };
  const what = run.fixed.length > 0 ? `fixed by ${run.fixed.join(', ')}` : 'nothing changed';
  const rediagnosed =
    unfixable.length > 0 ? `re-diagnosis finds only ${unfixable.join(', ')}` : 're-diagnosis finds no cause';
  return { passed: true, reason: [what, rediagnosed, ...notes].join('; '), details: [] };
}
