/**
 * `runPlaybook`: one run from start to summary. Diagnose, rank causes, fix (with consent), and on a
 * failure, an abort or Ctrl+C undo the changes in reverse order. Emits events; never prints.
 */
import { UsageError } from '../core/errors.js';
import { evaluateCondition } from '../playbook/expressions.js';
import type { DiagnoseStepDoc } from '../playbook/schema.js';
import type { TargetSpec } from '../powershell/types.js';
import { decideStep } from './consent.js';
import type { Decider } from './decider.js';
import { runDiagnoseStep } from './diagnose-step.js';
import type { EnginePlaybook } from './engine-playbook.js';
import type { EventSink } from './events.js';
import { runFixPhase } from './fix-phase.js';
import { Journal } from './journal.js';
import type { JournalRecord, RunOutcome, RunStartRecord } from './journal-records.js';
import { maskSessionOutput, secretsOfRun } from './mask-secrets.js';
import { publishRanking } from './rank-run-causes.js';
import { restoreRun } from './restore-run.js';
import { rollbackChanges } from './rollback-changes.js';
import { RunContext, type RunMode } from './run-context.js';
import type { RunPolicy } from './run-policy.js';
import { buildRunStart, journalTargetOf, planSteps } from './run-start-record.js';
import { createRunId, describeTarget, journalPathOf, listRuns } from './run-store.js';
import { describeUnreachable, type RunEnding, summarizeRun } from './run-summary.js';
import { type StepSelection, selectSteps, stepsNeedingConsent } from './select-steps.js';
import type { SessionProvider } from './session-provider.js';
import { failStep, skipStep, unreachableStep } from './step-record.js';
import { acquireTargetLock } from './target-lock.js';

/** The default per-step timeout. */
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

/** Everything a run needs; the CLI builds it from flags, tests build it directly. */
export interface RunPlaybookOptions {
  playbook: EnginePlaybook;
  /** Resolved params (after defaults and checks). */
  params: Record<string, unknown>;
  sessions: SessionProvider;
  /** Where client and target steps run (for the journal and the per-target lock). */
  targets: { client: TargetSpec; target: TargetSpec };
  stateDir: string;
  decider: Decider;
  onEvent: EventSink;
  mode: Partial<RunMode> & { interactive: boolean };
  selection?: StepSelection;
  policy?: RunPolicy;
  /** Aborting it is Ctrl+C: the running script is killed and the changes are rolled back. */
  signal?: AbortSignal;
  lab?: RunStartRecord['lab'];
  psremedyVersion: string;
  /** The id to give a new run (a fleet names its targets' runs); default a fresh one. */
  runId?: string;
  /** Continue this run (set by resumeRun). */
  resume?: { runId: string; records: JournalRecord[] };
}

/** How a run ended. */
export interface RunResult {
  runId: string;
  journalPath: string;
  outcome: RunOutcome;
}

/** Runs a playbook: checks flags and consent up front, then diagnoses, fixes and summarizes. */
export async function runPlaybook(options: RunPlaybookOptions): Promise<RunResult> {
  const mode: RunMode = {
    check: false,
    diff: false,
    yes: false,
    step: false,
    noRollback: false,
    defaultTimeoutMs: DEFAULT_STEP_TIMEOUT_MS,
    ...options.mode,
  };
  const { doc } = options.playbook;
  const selected = selectSteps(doc, options.selection);
  refuseWithoutConsent(options.playbook, mode, selected, options.policy !== undefined);

  const runId = options.resume?.runId ?? options.runId ?? createRunId();
  const targetName = describeTarget(journalTargetOf(options.targets.target));
  const lock = acquireTargetLock(options.stateDir, targetName, runId);
  const signal = options.signal ?? new AbortController().signal;
  const journalPath = journalPathOf(options.stateDir, runId);
  const startedAt = performance.now();
  let journal: Journal | undefined;
  const onAbort = () => void options.sessions.interrupt();
  try {
    reportCrashedRuns(options, runId);
    journal = options.resume ? Journal.reopen(journalPath) : Journal.create(journalPath);
    const run = new RunContext(
      runId,
      options.playbook,
      options.params,
      mode,
      maskSessionOutput(
        options.sessions,
        secretsOfRun(doc.params, options.params, [options.targets.client, options.targets.target]),
      ),
      journal,
      options.onEvent,
      options.decider,
      signal,
      options.policy,
    );
    run.remoteTarget = options.targets.target.kind !== 'local';
    const finished = options.resume ? restoreRun(run, options.resume.records) : new Set<string>();
    if (options.resume) journal.append({ type: 'run-resume', pid: process.pid, finished: [...finished] });
    else journal.append(buildRunStart(options, mode, runId));
    const appendForPolicy = journal;
    await options.policy?.onStart?.({ runId, append: (r) => void appendForPolicy.append(r) });
    run.emit({
      type: 'run.start',
      runId,
      journalPath,
      playbook: { name: doc.name, title: doc.title, file: options.playbook.file },
      target: targetName,
      check: mode.check,
      resumed: options.resume !== undefined,
      steps: planSteps(options.playbook, selected),
    });
    signal.addEventListener('abort', onAbort, { once: true });
    openTargetEarly(run, selected, finished);

    const ending = await diagnoseAndFix(run, selected, finished);
    if (signal.aborted) ending.stop = 'interrupted';
    if (ending.stop && run.changes.some((c) => c.undone !== 'rolledBack')) {
      const keep = mode.noRollback && ending.stop !== 'aborted';
      if (!keep) {
        signal.removeEventListener('abort', onAbort);
        const reason =
          ending.stop === 'failed'
            ? 'a step failed'
            : ending.stop === 'aborted'
              ? 'aborted at a prompt'
              : 'interrupted (Ctrl+C)';
        ending.rollback = await rollbackChanges(run, run.changes, reason, 'run');
      }
    }
    const summary = summarizeRun(run, ending);
    const unreachable = describeUnreachable(run);
    const durationMs = Math.round(performance.now() - startedAt);
    journal.append({
      type: 'run-end',
      outcome: summary.outcome,
      counts: summary.counts,
      remaining: summary.remaining,
      fixed: summary.fixed,
      ...(summary.unknown.length > 0 ? { unknown: summary.unknown } : {}),
      ...(summary.notRun.length > 0 ? { notRun: summary.notRun } : {}),
      ...(run.diagnosing ? {} : { diagnosed: false }),
      durationMs,
    });
    run.emit({
      type: 'summary',
      runId,
      outcome: summary.outcome,
      counts: summary.counts,
      causes: run.diagnosed,
      fixed: summary.fixed,
      remaining: summary.remaining,
      unknown: summary.unknown,
      diagnosed: run.diagnosing,
      notRun: summary.notRun,
      journalPath,
      durationMs,
      keptPartialChanges:
        ending.stop !== undefined && ending.rollback === undefined && run.changes.length > 0,
      ...(unreachable ? { unreachable } : {}),
    });
    return { runId, journalPath, outcome: summary.outcome };
  } finally {
    signal.removeEventListener('abort', onAbort);
    journal?.close();
    lock.release();
  }
}

async function diagnoseAndFix(
  run: RunContext,
  selected: Set<string>,
  finished: Set<string>,
): Promise<RunEnding> {
  run.diagnosing = run.playbook.doc.steps.some(
    (s) => s.kind === 'diagnose' && (selected.has(s.id) || finished.has(s.id)),
  );
  for (const step of run.playbook.doc.steps) {
    if (step.kind !== 'diagnose' || finished.has(step.id)) continue;
    if (run.signal.aborted) return { stop: 'interrupted', cleared: new Set() };
    if (!selected.has(step.id)) continue;
    const stop = await runDiagnoseWithChecks(run, step);
    if (stop) return { stop, cleared: new Set() };
  }
  run.diagnosed = publishRanking(run);
  const result = await runFixPhase(run, selected, finished);
  return { ...(result.stop ? { stop: result.stop } : {}), cleared: result.cleared };
}

async function runDiagnoseWithChecks(run: RunContext, step: DiagnoseStepDoc): Promise<'aborted' | undefined> {
  if (step.when !== undefined) {
    try {
      if (!evaluateCondition(step.when, run.expressionContext())) {
        skipStep(run, step, 'diagnose', `when: ${step.when} is false`);
        return undefined;
      }
    } catch (error) {
      failStep(run, step, 'diagnose', (error as Error).message);
      return undefined;
    }
  }
  const unreachable = run.unreachable.get(step.on);
  if (unreachable) {
    unreachableStep(run, step, 'diagnose', unreachable);
    return undefined;
  }
  const asked = await decideStep(run, step);
  if (asked === 'abort') {
    skipStep(run, step, 'diagnose', 'aborted at the prompt');
    return 'aborted';
  }
  if (asked === 'skip') {
    skipStep(run, step, 'diagnose', 'skipped at the prompt');
    return undefined;
  }
  await runDiagnoseStep(run, step, 'diagnose');
  return undefined;
}

/**
 * Opens the target's session while the client's steps run, when a target step is to run: its
 * start-up (and, for a server that cannot be managed, its connect timeout) overlaps them.
 */
function openTargetEarly(run: RunContext, selected: Set<string>, finished: Set<string>): void {
  const needed = run.playbook.doc.steps.some(
    (s) => s.on === 'target' && selected.has(s.id) && !finished.has(s.id),
  );
  // A failure here is seen again, and reported, by the first target step.
  if (needed) void run.sessions.get('target').catch(() => undefined);
}

/** Never prompt without a terminal: throws before anything runs, naming the steps that would ask. */
export function refuseWithoutConsent(
  playbook: Pick<EnginePlaybook, 'doc'>,
  mode: Pick<RunMode, 'interactive' | 'check' | 'yes' | 'step'>,
  selected: Set<string>,
  hasPolicy: boolean,
): void {
  if (mode.interactive) return;
  const asking = stepsNeedingConsent(playbook.doc, selected, { ...mode, hasPolicy });
  if (asking.length === 0) return;
  const lines = asking.map((s) => `  ${s.id}: ${s.title}${s.kind === 'fix' ? ` (risk ${s.risk})` : ''}`);
  const why = mode.step
    ? '--step asks before every step, and there is no terminal to ask on'
    : 'these steps need consent and there is no terminal to ask on (stdin or stdout is not a TTY, or CI is set)';
  throw new UsageError(
    `${why}:\n${lines.join('\n')}\n  run again with --yes to apply them without asking, with --check to only look, or with an approval`,
  );
}

function reportCrashedRuns(options: RunPlaybookOptions, runId: string): void {
  for (const listing of listRuns(options.stateDir)) {
    if (listing.status !== 'crashed' || listing.runId === runId) continue;
    options.onEvent({
      type: 'run.crashFound',
      runId: listing.runId,
      playbook: listing.playbook,
      startedAt: listing.startedAt,
      pendingChanges: listing.pendingChanges,
      journalPath: listing.journalPath,
    });
  }
}
