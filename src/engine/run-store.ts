/** Where runs live: `<stateDir>/runs/<runId>/journal.jsonl`, and what each one's journal says. */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readJournalFile } from './journal.js';
import type { JournalRecord, RunOutcome, RunStartRecord } from './journal-records.js';
import { readLocks } from './target-lock.js';

/** The state folder: --state-dir, else PSREMEDY_HOME, else `.psremedy` in the current folder. */
export function resolveStateDir(flag?: string): string {
  return resolve(flag ?? process.env.PSREMEDY_HOME ?? '.psremedy');
}

/** A new run id that sorts by start time: `20250101-120000-ab12`. */
export function createRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * What createRunId makes, and what a person may type for one: no separators and no `..`, so it
 * always names a folder of `runs/`.
 */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

/** Whether `runId` can be a run id (and so names a folder inside `<stateDir>/runs`). */
export function isRunId(runId: string): boolean {
  return runId.length <= 100 && RUN_ID.test(runId);
}

/** The journal file of a run; throws a UsageError for a run id that could name a path elsewhere. */
export function journalPathOf(stateDir: string, runId: string): string {
  if (!isRunId(runId))
    throw new UsageError(
      `"${runId}" is not a run id (such as 20250101-120000-ab12); \`psremedy runs\` lists the runs of ${stateDir}`,
    );
  return join(stateDir, 'runs', runId, 'journal.jsonl');
}

/** A run as `psremedy runs` lists it. */
export interface RunListing {
  runId: string;
  journalPath: string;
  playbook: string;
  startedAt: string;
  target: string;
  /**
   * `running`: its process holds the target lock; `crashed`: no end record and nobody holds it;
   * `forgotten`: crashed, then `psremedy runs --forget` (no longer warned about).
   */
  status: RunOutcome | 'running' | 'crashed' | 'forgotten';
  /** Fix steps whose change may still be in place (applied or intended, not undone). */
  pendingChanges: string[];
  /** Bytes of a torn last line (a crash mid-write) that the listing left out; absent when whole. */
  tornTailBytes?: number;
}

/** Every run in the state folder, oldest first. */
export function listRuns(stateDir: string): RunListing[] {
  const runsDir = join(stateDir, 'runs');
  if (!existsSync(runsDir)) return [];
  const live = new Set(
    readLocks(stateDir)
      .filter((l) => l.alive)
      .map((l) => l.runId),
  );
  const listings: RunListing[] = [];
  for (const runId of readdirSync(runsDir).sort()) {
    if (!isRunId(runId)) continue;
    const path = journalPathOf(stateDir, runId);
    if (!existsSync(path)) continue;
    const { records, tornTailBytes } = readJournalFile(path);
    const listing = describeRun(runId, path, records, live.has(runId));
    if (listing) listings.push(tornTailBytes > 0 ? { ...listing, tornTailBytes } : listing);
  }
  return listings;
}

/** Summarizes one run's journal; undefined when it has no run-start record. */
export function describeRun(
  runId: string,
  journalPath: string,
  records: JournalRecord[],
  isLive: boolean,
): RunListing | undefined {
  const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) return undefined;
  const last = records.at(-1);
  const status =
    last?.type === 'run-end'
      ? last.outcome
      : isLive
        ? 'running'
        : last?.type === 'run-forgotten'
          ? 'forgotten'
          : 'crashed';
  return {
    runId,
    journalPath,
    playbook: start.playbook.name,
    startedAt: start.at,
    target: describeTarget(start.targets.target),
    status,
    pendingChanges: findPendingChanges(records),
  };
}

/** Fix steps with an intent whose undo has not finished as rolledBack. */
export function findPendingChanges(records: JournalRecord[]): string[] {
  const pending = new Set<string>();
  for (const r of records) {
    if (r.type === 'intent') pending.add(r.stepId);
    if (r.type === 'undo-end' && r.status === 'rolledBack') pending.delete(r.stepId);
    // The server undid it itself, verified.
    if (r.type === 'server-revert' && r.outcome === 'autoReverted') pending.delete(r.stepId);
  }
  return [...pending];
}

/** A short name of a target for lists and messages. */
export function describeTarget(target: RunStartRecord['targets']['target']): string {
  if (target.kind === 'local') return 'local';
  if (target.kind === 'ssh')
    return `ssh://${target.userName ? `${target.userName}@` : ''}${target.hostName}${target.port ? `:${target.port}` : ''}`;
  return `winrm://${target.computerName}${target.port ? `:${target.port}` : ''}`;
}
