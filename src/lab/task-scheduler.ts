/**
 * The lab host's Task Scheduler: real timers in the lab process. Every POLL_MS it reads the host's
 * state file and, for a registered task whose `Once` trigger time has passed on the machine's real
 * clock and which has not run since, starts the lab host's PowerShell (the same one its sessions
 * use, with the lab module) to run `Invoke-LabScheduledTask`: the task's action really runs against
 * the host state, as Windows runs a task when its trigger fires (lab/STATE.md, "Scheduled tasks").
 * `boot()` fires the AtStartup triggers, as a restart does. Registered tasks live in the state
 * file, so they survive the lab's sessions and a reboot.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How often the scheduler looks for due triggers. */
export const POLL_MS = 250;

/** A task runs at most this long (its ExecutionTimeLimit in the lab); then it is killed. */
export const TASK_LIMIT_MS = 60_000;

interface LabTrigger {
  type: string;
  at?: string;
  enabled?: boolean;
}

interface LabTask {
  taskName: string;
  taskPath: string;
  state: string;
  triggers?: LabTrigger[];
  lastRunTime?: string;
}

/** A running scheduler for one lab host. */
export interface LabTaskScheduler {
  /** Runs every task with an AtStartup trigger, as Windows does when the host starts. */
  boot(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the scheduler of the lab host whose state is `statePath`; `runDir` holds its `pwsh` and `server-module`. */
export function startTaskScheduler(runDir: string, statePath: string): LabTaskScheduler {
  const running = new Map<string, Promise<void>>();
  const fire = (task: LabTask): Promise<void> => {
    const key = `${task.taskPath}${task.taskName}`;
    const already = running.get(key);
    if (already) return already;
    const done = runTask(runDir, statePath, task).finally(() => running.delete(key));
    running.set(key, done);
    return done;
  };
  const timer = setInterval(() => {
    for (const task of readTasks(statePath)) if (isDue(task, Date.now())) void fire(task);
  }, POLL_MS);
  timer.unref();
  return {
    async boot() {
      const atStartup = readTasks(statePath).filter(
        (t) =>
          t.state !== 'Disabled' &&
          (t.triggers ?? []).some((g) => g.type === 'AtStartup' && g.enabled !== false),
      );
      await Promise.all(atStartup.map(fire));
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}

/** True when a task's Once trigger time has passed and it has not run since. */
export function isDue(task: LabTask, now: number): boolean {
  if (task.state === 'Disabled' || task.state === 'Running') return false;
  const lastRun = task.lastRunTime ? Date.parse(task.lastRunTime) : Number.NEGATIVE_INFINITY;
  return (task.triggers ?? []).some((t) => {
    if (t.type !== 'Once' || t.enabled === false || !t.at) return false;
    const at = Date.parse(t.at);
    return at <= now && lastRun < at;
  });
}

function readTasks(statePath: string): LabTask[] {
  try {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { scheduledTasks?: LabTask[] };
    return state.scheduledTasks ?? [];
  } catch {
    // Mid-rename or gone (the lab is stopping): look again at the next tick.
    return [];
  }
}

function runTask(runDir: string, statePath: string, task: LabTask): Promise<void> {
  const pwsh = join(runDir, 'pwsh');
  if (!existsSync(pwsh)) return Promise.resolve();
  const module = readFileSync(join(runDir, 'server-module'), 'utf8').trim();
  // Names travel in the environment, never in the command text.
  const command =
    'Import-Module $env:PSREMEDY_LAB_SERVER_MODULE; Invoke-LabScheduledTask -TaskName $env:PSREMEDY_LAB_TASK_NAME -TaskPath $env:PSREMEDY_LAB_TASK_PATH';
  return new Promise((resolve) => {
    const child = spawn(pwsh, ['-NoProfile', '-NonInteractive', '-Command', command], {
      env: {
        ...process.env,
        PSREMEDY_LAB_STATE: statePath,
        PSREMEDY_LAB_SERVER_MODULE: module,
        PSREMEDY_LAB_TASK_NAME: task.taskName,
        PSREMEDY_LAB_TASK_PATH: task.taskPath,
      },
      stdio: 'ignore',
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), TASK_LIMIT_MS);
    child.on('error', () => {
      clearTimeout(limit);
      resolve();
    });
    child.on('exit', () => {
      clearTimeout(limit);
      resolve();
    });
  });
}
