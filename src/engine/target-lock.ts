/**
 * One run per target at a time: `<stateDir>/locks/<key>.lock` holds the run id and pid. A lock
 * whose process is gone is stale (that run crashed) and is taken over.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
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

/**
 * The host a target names, as one key for every spelling of it: `winrm://SRV01:5986`,
 * `ssh://admin@srv01` and `SRV01.corp.example` are all `srv01` (case, domain, user, port and
 * transport dropped); an IPv4 address stays whole; this machine (`local`, `localhost`, a loopback
 * address, its own host name) is `local`.
 */
export function targetLockKey(target: string): string {
  const withoutScheme = target.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const withoutUser = withoutScheme.slice(withoutScheme.lastIndexOf('@') + 1);
  const bracketed = /^\[([^\]]+)\]/.exec(withoutUser);
  const host = (bracketed ? bracketed[1]! : withoutUser.replace(/:\d+$/, ''))
    .toLowerCase()
    .replace(/\.$/, '');
  if (LOCAL_NAMES.has(host) || host.startsWith('127.') || host === hostname().toLowerCase().split('.')[0])
    return 'local';
  if (/^\d+(\.\d+){3}$/.test(host) || host.includes(':')) return host;
  return host.split('.')[0] ?? host;
}

const LOCAL_NAMES = new Set(['local', 'localhost', '::1', '0:0:0:0:0:0:0:1', '.']);

/** Takes the lock for a target (every spelling of its host, see targetLockKey), or throws naming the run that holds it. */
export function acquireTargetLock(stateDir: string, target: string, runId: string): TargetLock {
  const dir = join(stateDir, 'locks');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = targetLockKey(target);
  const path = join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.lock`);
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
