import type { JournalRecord, RunStartRecord } from '../engine/journal-records.js';
import { buildRecap } from './recap.js';
import type { RunReport } from './report-model.js';
import { buildChanges, buildSteps } from './report-steps.js';
import { describeRecord } from './timeline.js';

/**
 * Builds the report of a run from its journal records alone (a crashed run's journal too);
 * `rollbackCommand` is how the recap says to undo it (default `psremedy rollback <runId>`).
 */
export function buildReport(records: JournalRecord[], rollbackCommand?: string): RunReport {
  const facts = buildFacts(records);
  return { ...facts, recap: buildRecap(facts, rollbackCommand) };
}

function buildFacts(records: JournalRecord[]): Omit<RunReport, 'recap'> {
  const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) throw new Error('the journal has no run-start record: it is not the journal of a run');
  const end = records.findLast((r) => r.type === 'run-end');
  const causes = rankCausesAtDiagnosis(records, end?.type === 'run-end' ? end.remaining : undefined);
  const approval = records.find((r) => r.type === 'approval');
  const steps = buildSteps(records);
  const changes = buildChanges(records);
  return {
    reportVersion: 1,
    runId: start.runId,
    playbook: start.playbook,
    scripts: start.scripts,
    outcome: end?.type === 'run-end' ? end.outcome : 'crashed',
    startedAt: start.at,
    endedAt: end?.at ?? records.at(-1)?.at,
    durationMs: end?.type === 'run-end' ? end.durationMs : undefined,
    target: describeTarget(start),
    lab: start.lab,
    params: start.params,
    secretParams: start.secretParams,
    options: { ...start.options },
    approval: approval?.type === 'approval' ? approval.details : undefined,
    host: { name: start.hostName, user: start.userName, psremedyVersion: start.psremedyVersion },
    causes,
    steps,
    changes,
    fixed:
      end?.type === 'run-end' ? end.fixed : changes.filter((c) => c.status === 'kept').map((c) => c.stepId),
    remaining: end?.type === 'run-end' ? end.remaining : [],
    unreachable: findUnreachable(records),
    ...(end?.type === 'run-end' && end.notRun ? { notRun: end.notRun } : {}),
    ...(end?.type === 'run-end' && end.diagnosed === false ? { diagnosed: false } : {}),
    timeline: records.map((r) => ({
      seq: r.seq,
      at: r.at,
      type: r.type,
      stepId: 'stepId' in r ? r.stepId : undefined,
      text: describeRecord(r),
    })),
  };
}

/**
 * The causes as ranked right after diagnosis (what the admin was shown), each marked with whether
 * it was still present at the end: the last ranking, or the run's own `remaining` list.
 */
function rankCausesAtDiagnosis(
  records: JournalRecord[],
  remaining: string[] | undefined,
): RunReport['causes'] {
  const first = records.find((r) => r.type === 'causes');
  const last = records.findLast((r) => r.type === 'causes');
  if (first?.type !== 'causes' || last?.type !== 'causes') return [];
  const stillDetected = new Set(remaining ?? last.ranked.filter((c) => c.detected).map((c) => c.cause));
  return first.ranked.map((c) => ({ ...c, remains: c.detected && stillDetected.has(c.cause) }));
}

function findUnreachable(records: JournalRecord[]): RunReport['unreachable'] {
  const noted = records.find((r) => r.type === 'target-unreachable');
  if (noted?.type !== 'target-unreachable') return undefined;
  const { on, target, reason, detail, waitedMs } = noted;
  return { on, target, reason, detail, waitedMs };
}

function describeTarget(start: RunStartRecord): string {
  const t = start.targets.target;
  if (t.kind === 'local') return 'this computer';
  if (t.kind === 'ssh')
    return `${t.userName ? `${t.userName}@` : ''}${t.hostName}${t.port ? `:${t.port}` : ''} (ssh)`;
  return `${t.computerName}${t.port ? `:${t.port}` : ''} (winrm)`;
}
