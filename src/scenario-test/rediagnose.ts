/**
 * After a repair, the playbook's diagnose steps run again against the host (a --check run of
 * only those steps, so nothing can change) and their journal says what they found.
 */
import { readJournal } from '../engine/journal.js';
import { type RunPlaybookOptions, runPlaybook } from '../engine/run-playbook.js';
import type { StepProblem } from './judge-diagnosis.js';
import type { ProbeResult, Rediagnosis } from './judge-repair.js';
import { RunObserver } from './run-observer.js';

/** What a re-diagnosis needs: the same sessions, targets and state folder as the run. */
export type RediagnoseOptions = Pick<
  RunPlaybookOptions,
  'playbook' | 'params' | 'sessions' | 'targets' | 'stateDir' | 'decider' | 'psremedyVersion'
> & { lab: NonNullable<RunPlaybookOptions['lab']> };

/** Runs the diagnose steps again and reads detected causes, failed steps and probes from the journal. */
export async function rediagnose(options: RediagnoseOptions): Promise<Rediagnosis> {
  const only = options.playbook.doc.steps.filter((s) => s.kind === 'diagnose').map((s) => s.id);
  const observer = new RunObserver();
  const result = await runPlaybook({
    ...options,
    onEvent: observer.onEvent,
    mode: { interactive: false, check: true },
    selection: { only },
  });
  const problems: StepProblem[] = [];
  const probes: ProbeResult[] = [];
  for (const record of readJournal(result.journalPath)) {
    if (record.type !== 'step-end' || record.kind !== 'diagnose') continue;
    if (record.status !== 'ok') {
      const reason = record.error?.message ?? record.reason;
      problems.push({ stepId: record.stepId, status: record.status, ...(reason ? { reason } : {}) });
    }
    const probe = readProbe(record.stepId, record.result);
    if (probe) probes.push(probe);
  }
  return {
    outcome: result.outcome,
    detected: (observer.summary?.causes ?? []).filter((c) => c.detected),
    problems,
    probes,
  };
}

function readProbe(stepId: string, result: unknown): ProbeResult | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (typeof r.succeeded !== 'boolean') return undefined;
  if (r.succeeded) return { stepId, succeeded: true };
  const findings = Array.isArray(r.findings) ? (r.findings as Array<Record<string, unknown>>) : [];
  const strongest = findings
    .filter((f) => typeof f.confidence === 'number' && f.confidence > 0)
    .sort((a, b) => (b.confidence as number) - (a.confidence as number))[0];
  const words = [
    typeof r.stage === 'string' ? `stage ${r.stage}` : '',
    typeof r.error === 'string' ? r.error : '',
    typeof strongest?.evidence === 'string' ? strongest.evidence : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { stepId, succeeded: false, ...(words ? { detail: words } : {}) };
}
