/** `psremedy runs --forget <runId>`: stop warning about a run that never finished. */
import { UsageError } from '../core/errors.js';
import { Journal } from './journal.js';
import { readRun } from './rollback-run.js';
import { safeUserName } from './run-start-record.js';
import { describeRun } from './run-store.js';
import { readLocks } from './target-lock.js';

/** What forgetting did: the changes that may still be in place (rollback still undoes them). */
export interface ForgetResult {
  runId: string;
  /** `forgotten` now, or the outcome of a run that had finished (nothing to forget). */
  status: string;
  pendingChanges: string[];
}

/**
 * Journals a `run-forgotten` record for a crashed run, so runs and the next run stop reporting it.
 * A finished run is left alone; a running one is refused.
 */
export function forgetRun(stateDir: string, runId: string): ForgetResult {
  const { journalPath, records } = readRun(stateDir, runId);
  const live = readLocks(stateDir).some((l) => l.alive && l.runId === runId);
  const listing = describeRun(runId, journalPath, records, live);
  if (!listing) throw new UsageError(`${journalPath} has no run-start record; it is not a psremedy journal`);
  if (listing.status === 'running')
    throw new UsageError(
      `run ${runId} is still running; stop it (Ctrl+C rolls it back) before forgetting it`,
    );
  if (listing.status !== 'crashed')
    return { runId, status: listing.status, pendingChanges: listing.pendingChanges };
  const journal = Journal.reopen(journalPath);
  try {
    journal.append({
      type: 'run-forgotten',
      pid: process.pid,
      userName: safeUserName(),
      pendingChanges: listing.pendingChanges,
    });
  } finally {
    journal.close();
  }
  return { runId, status: 'forgotten', pendingChanges: listing.pendingChanges };
}
