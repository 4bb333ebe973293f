/**
 * One scenario of `psremedy test`: start a fresh lab, run the playbook with --yes (diagnosis,
 * repair), diagnose again, roll the run back, and compare the host with its state at the start.
 * One client session and one target session serve all of it.
 */
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { readJournal } from '../engine/journal.js';
import { rollbackRun } from '../engine/rollback-run.js';
import { runPlaybook } from '../engine/run-playbook.js';
import { findPendingChanges, journalPathOf } from '../engine/run-store.js';
import type { SessionProvider } from '../engine/session-provider.js';
import { createTargetSessions } from '../engine/target-sessions.js';
import { type HostState, readHostState } from '../lab/host-state.js';
import { type Lab, startLab } from '../lab/lab.js';
import type { LoadedPlaybook } from '../playbook/load-playbook.js';
import { resolveParams } from '../playbook/resolve-params.js';
import { hostParamOf } from '../playbook/target-host.js';
import type { TargetSpec } from '../powershell/types.js';
import { compareWithStart } from './compare-host-files.js';
import { judgeAgreement } from './judge-agreement.js';
import { judgeDiagnosis } from './judge-diagnosis.js';
import { judgeRepair, type Rediagnosis } from './judge-repair.js';
import { judgeRollback, type RollbackStatus } from './judge-rollback.js';
import { neverAskDecider } from './never-ask-decider.js';
import { rediagnose } from './rediagnose.js';
import { RunObserver } from './run-observer.js';
import type { CheckResult, ScenarioResult } from './scenario-result.js';

/** One scenario to test the playbook against. */
export interface ScenarioTestOptions {
  playbook: LoadedPlaybook;
  /** A scenario file. */
  scenarioFile: string;
  /** `--param` values (the lab fills the playbook's host param unless given). */
  rawParams: Record<string, string>;
  paramsFile?: string;
  /** This scenario's own folder: runs, journals and the lab's state files. */
  stateDir: string;
  /** The PowerShell lab hosts run (findPowerShell() when omitted). */
  powershell?: { path: string; args: string[] };
}

/** Tests the playbook against one scenario; a bad --param throws (UsageError), anything else is a failed check. */
export async function testScenario(options: ScenarioTestOptions): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const lab = await startLab(options.scenarioFile, {
    stateDir: join(options.stateDir, 'lab'),
    ...(options.powershell ? { powershell: options.powershell } : {}),
  });
  const labStartMs = Math.round(performance.now() - startedAt);
  try {
    const { checks, run } = await checkScenario(options, lab);
    return {
      scenario: lab.scenario.name,
      file: options.scenarioFile,
      expectedCauses: lab.scenario.expectedCauses,
      passed: checks.diagnosis.passed && checks.repair.passed && checks.rollback.passed,
      checks,
      ...(run ? { run } : {}),
      stateDir: options.stateDir,
      labStartMs,
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    await lab.stop();
  }
}

type Checks = Pick<ScenarioResult, 'checks' | 'run'>;

async function checkScenario(options: ScenarioTestOptions, lab: Lab): Promise<Checks> {
  const host = lab.hosts[0];
  if (!host) throw new UsageError(`lab scenario ${lab.scenario.name} starts no host`);
  const start = new Map<string, HostState>();
  for (const h of lab.hosts) start.set(h.name, await readHostState(h.statePath));
  const statePaths = new Map(lab.hosts.map((h) => [h.name, h.statePath]));
  const labRecord = { scenario: lab.scenario.name, statePaths: lab.hosts.map((h) => h.statePath) };

  const raw = { ...options.rawParams };
  const hostParam = hostParamOf(options.playbook.doc.target?.host);
  if (hostParam && !(hostParam in raw)) raw[hostParam] = host.name;
  const params = await resolveParams(options.playbook, raw, options.paramsFile);
  const targets = { client: { kind: 'local' } as TargetSpec, target: host.target };
  const stateDir = join(options.stateDir, 'runs');
  const sessions = createTargetSessions(targets, lab.localSessionOptions);
  const common = {
    playbook: options.playbook,
    params,
    sessions,
    targets,
    stateDir,
    decider: neverAskDecider,
    psremedyVersion: VERSION,
    lab: labRecord,
  };
  const expected = lab.scenario.expectedCauses;
  try {
    const observer = new RunObserver();
    let runId: string | undefined;
    let runError: string | undefined;
    try {
      runId = (
        await runPlaybook({ ...common, onEvent: observer.onEvent, mode: { interactive: false, yes: true } })
      ).runId;
    } catch (error) {
      runError = (error as Error).message;
    }
    const diagnosedAt = observer.diagnosedAt ?? performance.now();
    const summary = observer.summary;
    const diagnosis: CheckResult = {
      ...(observer.diagnosedAt === undefined
        ? {
            passed: false,
            reason: `the run stopped before ranking causes: ${runError ?? 'no ranking'}`,
            details: [],
          }
        : judgeDiagnosis(expected, observer.diagnosed, observer.diagnoseProblems)),
      durationMs: Math.round(diagnosedAt - observer.startedAt),
    };

    let after: Rediagnosis | undefined;
    let afterError: string | undefined;
    const runEndedAt = performance.now();
    if (summary) {
      try {
        after = await rediagnose(common);
      } catch (error) {
        afterError = (error as Error).message;
      }
    }
    const repairJudged = summary
      ? judgeRepair(
          {
            expected,
            unfixable: [
              ...new Set([...findUnfixable(options.playbook, expected), ...lab.scenario.expectedRemaining]),
            ],
          },
          {
            outcome: summary.outcome,
            fixed: summary.fixed,
            remaining: summary.remaining,
            problems: observer.fixProblems,
          },
          after,
        )
      : { passed: false, reason: `the run did not finish: ${runError ?? 'no summary'}`, details: [] };
    if (afterError) repairJudged.details.push(`re-diagnosis threw: ${afterError}`);
    const contradictions = judgeAgreement(
      observer.diagnosed,
      fixStepsOf(options.playbook),
      observer.fixTests,
    );
    if (contradictions.length > 0)
      Object.assign(repairJudged, {
        passed: false,
        reason: [...contradictions, ...(repairJudged.passed ? [] : [repairJudged.reason])].join('; '),
      });
    const repair: CheckResult = { ...repairJudged, durationMs: Math.round(performance.now() - diagnosedAt) };

    const rollback = await checkRollback(stateDir, runId, sessions, start, statePaths);
    return {
      checks: { diagnosis, repair, rollback },
      ...(runId && summary
        ? {
            run: {
              runId,
              outcome: summary.outcome,
              detected: observer.diagnosed
                .filter((c) => c.detected)
                .map((c) => ({ cause: c.cause, confidence: c.confidence })),
              fixed: summary.fixed,
              durationMs: Math.round(runEndedAt - observer.startedAt),
            },
          }
        : {}),
    };
  } finally {
    await sessions.close();
  }
}

async function checkRollback(
  stateDir: string,
  runId: string | undefined,
  sessions: SessionProvider,
  start: Map<string, HostState>,
  statePaths: Map<string, string>,
): Promise<CheckResult> {
  const startedAt = performance.now();
  let status: RollbackStatus = 'nothing';
  let changed = false;
  if (runId) {
    changed = findPendingChanges(readJournal(journalPathOf(stateDir, runId))).length > 0;
    try {
      status = await rollbackRun({ stateDir, runId, sessions, onEvent: () => {} });
    } catch (error) {
      status = { error: (error as Error).message };
    }
  }
  const comparisons = await compareWithStart(start, statePaths);
  return {
    ...judgeRollback(status, changed, comparisons),
    durationMs: Math.round(performance.now() - startedAt),
  };
}

/** The playbook's fix steps and the causes each names, in playbook order. */
function fixStepsOf(playbook: LoadedPlaybook): Array<{ id: string; fixes: string[] }> {
  return playbook.doc.steps.flatMap((s) => (s.kind === 'fix' ? [{ id: s.id, fixes: s.fixes }] : []));
}

/** Expected causes that no fix step of the playbook names. */
function findUnfixable(playbook: LoadedPlaybook, expected: string[]): string[] {
  const fixable = new Set(playbook.doc.steps.flatMap((s) => (s.kind === 'fix' ? s.fixes : [])));
  return expected.filter((id) => !fixable.has(id));
}
