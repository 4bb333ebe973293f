/**
 * One run per target at a time: `<stateDir>/locks/<key>.lock` holds the run id and pid. A lock
 * whose process is gone is stale (that run crashed) and is taken over.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';

interface LockContent {
  runId: string;
  pid: number;
  target: string;
  startedAt: string;
}

/** A lock file as found on disk. */
export interface LockInfo extends LockContent {
  path: string;
  alive: boolean;
}

/** A held lock; release it when the run ends. */
export interface TargetLock {
  release(): void;
}

/** Takes the lock for a target, or throws naming the run that holds it. */
export function acquireTargetLock(stateDir: string, target: string, runId: string): TargetLock {
  const dir = join(stateDir, 'locks');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${createHash('sha256').update(target).digest('hex').slice(0, 16)}.lock`);
  const content: LockContent = { runId, pid: process.pid, target, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(content), { flag: 'wx', mode: 0o600 });
      return { release: () => releaseIfOurs(path, runId) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (!holder && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 10_000)
        throw new UsageError(`${target} is being locked by another run right now (${path}); try again`);
      if (holder?.alive && holder.runId !== runId)
        throw new UsageError(
          `another run (${holder.runId}, pid ${holder.pid}) is working on ${target} since ${holder.startedAt}; ` +
            'wait for it to finish, or stop it (Ctrl+C) first',
        );
      rmSync(path, { force: true });
    }
  }
  throw new UsageError(`could not take the lock ${path} for ${target}; remove it if no run is active`);
}

/** Every lock in the state folder, with whether its process still runs. */
export function readLocks(stateDir: string): LockInfo[] {
  const dir = join(stateDir, 'locks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.lock'))
    .map((f) => readLock(join(dir, f)))
    .filter((l): l is LockInfo => l !== undefined);
}

function readLock(path: string): LockInfo | undefined {
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
    return { ...content, path, alive: isProcessAlive(content.pid) };
  } catch {
    return undefined;
  }
}

function releaseIfOurs(path: string, runId: string): void {
  if (readLock(path)?.runId === runId) rmSync(path, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
