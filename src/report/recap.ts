/**
 * The recap of a run an admin pastes into a ticket: per detected cause whether it was fixed and
 * verified or remains (why, and what to do next), per change its fate and how to undo it, and
 * what the exit code means. Built from the report, so the terminal, Markdown, HTML and JSON agree.
 */

import { formatRunHint, stateDirOfJournal } from '../engine/run-hints.js';
import { describeNextStep, describeReason } from '../ui/unreachable-words.js';
import type { ReportChange, ReportStep, RunRecap, RunReport } from './report-model.js';

type RecapCause = RunRecap['causes'][number];
type RecapChange = RunRecap['changes'][number];
/** A report before its recap is added. */
type ReportFacts = Omit<RunReport, 'recap'>;

const EXITS: Record<RunReport['outcome'], { code?: number; meaning: string }> = {
  ok: { code: 0, meaning: 'nothing needed fixing' },
  changed: { code: 0, meaning: 'every detected cause was fixed and verified' },
  problemsRemain: { code: 1, meaning: 'problems remain (a cause not fixed, or a step failed)' },
  unreachable: {
    code: 5,
    meaning:
      'the server could not be reached for management, so it was not inspected or fixed: problems may remain',
  },
  rolledBack: { code: 3, meaning: 'changes were rolled back' },
  cancelled: { code: 130, meaning: 'interrupted (Ctrl+C)' },
  crashed: { meaning: 'the run did not finish (psremedy stopped mid-run)' },
};

const VERDICTS: Record<RunReport['outcome'], string> = {
  ok: 'healthy: nothing needed fixing',
  changed: 'fixed and verified',
  problemsRemain: 'problems remain',
  unreachable: 'server not inspected: problems may remain',
  rolledBack: 'changes were rolled back',
  cancelled: 'interrupted',
  crashed: 'did not finish',
};

/** The recap of a report; `rollbackCommand` is the exact command (with --state-dir when needed). */
export function buildRecap(
  report: ReportFacts,
  rollbackCommand = `psremedy rollback ${report.runId}`,
): RunRecap {
  const inPlace = report.changes.filter((c) =>
    ['kept', 'intentOnly', 'applyFailed', 'revertUnverified', 'rollbackFailed'].includes(c.status),
  );
  const exit = EXITS[report.outcome];
  const notInspected = recapNotInspected(report);
  const side = notInspected?.side ?? 'server';
  const unknown = report.causes.flatMap((c) =>
    c.unknownBecause ? [{ cause: c.cause, title: c.title, needs: c.unknownBecause }] : [],
  );
  // Nothing detected is not "all is well" when causes could not be looked at.
  const incomplete =
    report.outcome === 'problemsRemain' && report.remaining.length === 0 && unknown.length > 0;
  return {
    verdict: incomplete
      ? 'diagnosis incomplete: some causes are unknown'
      : VERDICTS[report.outcome].replace('server', side),
    causes: report.causes
      .filter((c) => c.detected)
      // The same command with --state-dir, resuming instead of rolling back.
      .map((c) => recapCause(report, c, rollbackCommand.replace(/^psremedy rollback/, 'psremedy resume'))),
    ...(unknown.length ? { unknown } : {}),
    ...(report.notRun?.length ? { notRun: report.notRun } : {}),
    ...(report.diagnosed === false ? { diagnosed: false } : {}),
    changes: report.changes.map((c) => recapChange(c, rollbackCommand)),
    ...(inPlace.length ? { rollbackCommand } : {}),
    ...(notInspected ? { notInspected } : {}),
    ...(exit.code === undefined ? {} : { exitCode: exit.code }),
    exitMeaning: report.outcome === 'unreachable' ? exit.meaning.replace('server', side) : exit.meaning,
  };
}

/** The side the run could not manage: why in words, what to do, and the steps that did not run there. */
function recapNotInspected(report: ReportFacts): RunRecap['notInspected'] {
  const u = report.unreachable;
  if (!u) return undefined;
  const steps = [...new Set(report.steps.filter((s) => s.status === 'unreachable').map((s) => s.stepId))];
  return {
    side: u.on === 'target' ? 'server' : 'client',
    target: u.target,
    why: describeReason(u.reason),
    detail: u.detail,
    next: describeNextStep(u.reason),
    steps,
  };
}

function recapCause(report: ReportFacts, c: RunReport['causes'][number], resumeCommand: string): RecapCause {
  const base = { cause: c.cause, title: c.title, confidence: c.confidence };
  const changes = report.changes.filter((x) => x.fixes.includes(c.cause));
  if (!c.remains) {
    const by = changes.find((x) => x.status === 'kept' && x.verified === true);
    return { ...base, fate: 'fixed', ...(by ? { fixedBy: by.stepId } : {}) };
  }
  return { ...base, fate: 'remains', ...explainRemaining(report, c.cause, changes, resumeCommand) };
}

/** Why a detected cause is still there, from what its fix steps did, and the next thing to do. */
function explainRemaining(
  report: ReportFacts,
  cause: string,
  changes: ReportChange[],
  resumeCommand: string,
): { why: string; next: string } {
  const rerun = 'run the playbook again';
  const needs = lastFixStep(report.steps, cause);
  if (needs?.status === 'unreachable') {
    const side = report.unreachable?.on === 'client' ? 'client' : 'server';
    return {
      why: `${needs.stepId} could not run: the ${side} was not reachable for management`,
      next: `restore management access to the ${side}, then ${resumeCommand}`,
    };
  }
  if (report.options.check === true)
    return { why: 'check mode: nothing was changed', next: 'run without --check to fix it' };
  const change = changes.at(-1);
  const failed = report.steps.findLast((s) => s.stepId === change?.stepId && s.kind === 'fix');
  if (change && (failed?.status === 'failed' || failed?.status === 'timedOut'))
    return {
      why: `${change.stepId} failed: ${failed.error?.message ?? failed.reason ?? failed.status}`,
      next: 'read its error in the report',
    };
  if (change?.status === 'rolledBack')
    return {
      why: `${change.stepId} was rolled back: ${rollbackReason(report)}`,
      next: `deal with that, then ${rerun}`,
    };
  if (change?.status === 'revertUnverified' || change?.status === 'rollbackFailed')
    return {
      why: `${change.stepId} was applied and its undo is not verified`,
      next: `check ${change.stepId} by hand`,
    };
  if (change?.status === 'applyFailed')
    return { why: `${change.stepId} failed to apply`, next: 'read its error in the report' };
  if (change?.status === 'kept')
    return {
      why: `${change.stepId} was applied, yet the cause is still detected`,
      next: 'check the evidence by hand',
    };
  const step = lastFixStep(report.steps, cause);
  if (!step) return { why: 'the playbook has no fix for it', next: 'fix it by hand: see the evidence' };
  const reason = step.reason ?? step.status;
  if (step.status === 'skipped' && /declined/.test(reason))
    return {
      why: `you skipped ${step.stepId}`,
      next: `${rerun} and apply ${step.stepId}, or fix it by hand`,
    };
  if (step.status === 'skipped' && /consent|--yes/.test(reason))
    return {
      why: `${step.stepId} needs consent and nobody could be asked`,
      next: 'run on a terminal, or with --yes',
    };
  if (step.status === 'skipped' && /approv/.test(reason))
    return {
      why: `${step.stepId} is not in the approval`,
      next: 'ask the approver to include it, or fix it by hand',
    };
  if (step.status === 'cancelled') return { why: `the run stopped before ${step.stepId}`, next: rerun };
  if (step.status === 'failed' || step.status === 'timedOut')
    return {
      why: `${step.stepId} ${step.status === 'failed' ? 'failed' : 'timed out'}: ${reason}`,
      next: 'read its error in the report',
    };
  return { why: `${step.stepId}: ${reason}`, next: rerun };
}

/** Why the run rolled back, as its rollback-start record says. */
function rollbackReason(report: ReportFacts): string {
  const entry = report.timeline.find((t) => t.type === 'rollback-start');
  return entry?.text.split(': ').slice(1).join(': ') || 'the run rolled back';
}

function lastFixStep(steps: ReportStep[], cause: string): ReportStep | undefined {
  return steps.findLast((s) => s.kind === 'fix' && s.fixes?.includes(cause));
}

function recapChange(c: ReportChange, rollbackCommand: string): RecapChange {
  const undo: Record<ReportChange['status'], string> = {
    kept: rollbackCommand,
    intentOnly: `${rollbackCommand} (it may be half applied)`,
    applyFailed: `${rollbackCommand} (apply failed part way)`,
    rolledBack: 'already undone and verified',
    autoReverted: 'already undone by the server itself, verified',
    revertUnverified: `undone, but the state differs from before: check by hand`,
    rollbackFailed: `its undo failed: ${rollbackCommand} again, or put it back by hand`,
  };
  return { stepId: c.stepId, title: c.title, status: c.status, verified: c.verified, undo: undo[c.status] };
}

/** `psremedy rollback <runId>` for a run's journal, with `--state-dir` unless PSREMEDY_HOME names it. */
export function rollbackCommandFor(runId: string, journalPath: string): string {
  return formatRunHint('rollback', runId, stateDirOfJournal(journalPath));
}
