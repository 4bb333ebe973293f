/**
 * `psremedy rollback <runId>`: undoes a finished, failed or crashed run from its journal alone.
 * An intent with no applied record is checked with `test` first: the change may never have happened.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { evaluateTemplate } from '../playbook/expressions.js';
import type { EventSink } from './events.js';
import { Journal, readJournal } from './journal.js';
import type { JournalRecord, RunStartRecord } from './journal-records.js';
import { type SealedTail, sealTornTail } from './journal-tail.js';
import { maskSessionOutput, secretValuesOf } from './mask-secrets.js';
import { isTemplate, restoreChanges } from './restore-run.js';
import { rollbackChanges } from './rollback-changes.js';
import type { Change } from './run-context.js';
import { describeRun, describeTarget, journalPathOf } from './run-store.js';
import { emptyCounts } from './run-summary.js';
import type { SessionProvider } from './session-provider.js';
import { settleServerReverts } from './settle-server-reverts.js';
import { acquireTargetLock, readLocks } from './target-lock.js';

/** A run's journal, checked to exist and to start with a run-start record. */
export interface JournaledRun {
  journalPath: string;
  records: JournalRecord[];
  start: RunStartRecord;
  /** Set when the journal's last line was torn (a crash mid-write) and has just been sealed. */
  sealed?: SealedTail;
}

/**
 * Reads a run's journal (the id must name a run inside the state folder) or throws a UsageError
 * that says where it looked. A torn last line is sealed first, so the run can be appended to.
 */
export function readRun(stateDir: string, runId: string): JournaledRun {
  const journalPath = journalPathOf(stateDir, runId);
  if (!existsSync(journalPath))
    throw new UsageError(
      `no run ${runId} in ${stateDir}; list runs with \`psremedy runs\` (or pass --state-dir)`,
    );
  // A live run may be mid-append: its last line is not torn, only not written yet.
  const live = readLocks(stateDir).some((l) => l.alive && l.runId === runId && l.pid !== process.pid);
  const sealed = live ? undefined : sealTornTail(journalPath);
  const records = readJournal(journalPath);
  const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) throw new UsageError(`${journalPath} has no run-start record; it is not a psremedy journal`);
  return { journalPath, records, start, ...(sealed ? { sealed } : {}) };
}

/** What `rollbackRun` needs. */
export interface RollbackRunOptions {
  stateDir: string;
  runId: string;
  /** Sessions for the run's journaled targets (built by the caller from `readRun(...).start`). */
  sessions: SessionProvider;
  onEvent: EventSink;
  /** Values for secret params that journaled templates read (never journaled themselves). */
  secretParams?: Record<string, unknown>;
}

/** Undoes every change of a run not yet rolled back; returns the worst undo status (or `nothing`). */
export async function rollbackRun(
  options: RollbackRunOptions,
): Promise<'rolledBack' | 'revertUnverified' | 'rollbackFailed' | 'nothing'> {
  const { journalPath, records, start } = readRun(options.stateDir, options.runId);
  const live = readLocks(options.stateDir).some(
    (l) => l.alive && l.runId === options.runId && l.pid !== process.pid,
  );
  if (describeRun(options.runId, journalPath, records, live)?.status === 'running')
    throw new UsageError(
      `run ${options.runId} is still running; stop it (Ctrl+C rolls it back) before rolling it back`,
    );
  const params = { ...start.params, ...options.secretParams };
  const changes = restoreChanges(records, (p) => fillSecretTemplates(p, params, start.secretParams));
  let pending = changes.filter((c) => c.undone !== 'rolledBack');
  if (pending.some((c) => c.serverRevert === 'armed')) {
    await settleArmed(options, journalPath, start, params, changes);
    pending = changes.filter((c) => c.undone !== 'rolledBack');
    if (pending.length === 0) {
      endWithNothingInPlace(journalPath);
      return 'rolledBack';
    }
  }
  if (pending.length === 0) {
    // A run that died with nothing left in place has now been dealt with: stop warning about it.
    const status = describeRun(options.runId, journalPath, records, live)?.status;
    if (status === 'crashed' || status === 'forgotten') endWithNothingInPlace(journalPath);
    return 'nothing';
  }
  const lock = acquireTargetLock(options.stateDir, describeTarget(start.targets.target), options.runId);
  const journal = Journal.reopen(journalPath);
  const startedAt = performance.now();
  try {
    const secrets = secretValuesOf(params, start.secretParams);
    const status = await rollbackChanges(
      { sessions: maskSessionOutput(options.sessions, secrets), journal, emit: options.onEvent },
      changes,
      'psremedy rollback',
      'command',
    );
    const counts = emptyCounts();
    for (const c of pending) if (c.undone) counts[c.undone] += 1;
    journal.append({
      type: 'run-end',
      outcome: status === 'rolledBack' ? 'rolledBack' : 'problemsRemain',
      counts,
      remaining: [],
      fixed: [],
      durationMs: Math.round(performance.now() - startedAt),
    });
    return status;
  } finally {
    journal.close();
    lock.release();
  }
}

// A crashed run's target may have reverted itself: ask it first (journaled, under the target lock).
async function settleArmed(
  options: RollbackRunOptions,
  journalPath: string,
  start: RunStartRecord,
  params: Record<string, unknown>,
  changes: Change[],
): Promise<void> {
  const lock = acquireTargetLock(options.stateDir, describeTarget(start.targets.target), options.runId);
  const journal = Journal.reopen(journalPath);
  try {
    const secrets = secretValuesOf(params, start.secretParams);
    const env = { sessions: maskSessionOutput(options.sessions, secrets), journal, emit: options.onEvent };
    await settleServerReverts(env, options.runId, changes);
  } finally {
    journal.close();
    lock.release();
  }
}

function endWithNothingInPlace(journalPath: string): void {
  const journal = Journal.reopen(journalPath);
  try {
    journal.append({
      type: 'run-end',
      outcome: 'cancelled',
      counts: emptyCounts(),
      remaining: [],
      fixed: [],
      durationMs: 0,
    });
  } finally {
    journal.close();
  }
}

function fillSecretTemplates(
  journaled: Record<string, unknown>,
  params: Record<string, unknown>,
  secretNames: string[],
): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(journaled)) {
    if (!isTemplate(value)) {
      filled[name] = value;
      continue;
    }
    const missing = secretNames.filter((s) => !(s in params) && JSON.stringify(value.$template).includes(s));
    if (missing.length > 0)
      throw new UsageError(
        `the undo needs the secret param${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the journal never keeps; pass ${missing.map((m) => `--param ${m}=...`).join(' ')}`,
      );
    filled[name] = evaluateTemplate(value.$template, { params, steps: {}, causes: {} });
  }
  return filled;
}
