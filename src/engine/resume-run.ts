/** `psremedy resume <runId>`: checks that a run can continue and with what. */

import { UsageError } from '../core/errors.js';
import { listScriptModules } from '../playbook/script-modules.js';
import type { EnginePlaybook } from './engine-playbook.js';
import { type JournaledRun, readRun } from './rollback-run.js';
import { formatNewRunHint, formatRunHint } from './run-hints.js';
import { describeRun } from './run-store.js';
import { readLocks } from './target-lock.js';

/** Reads a run to resume; refuses runs that ended well, were rolled back, or are still running. */
export function readRunToResume(stateDir: string, runId: string): JournaledRun {
  const run = readRun(stateDir, runId);
  const live = readLocks(stateDir).some((l) => l.alive && l.runId === runId && l.pid !== process.pid);
  const status = describeRun(runId, run.journalPath, run.records, live)?.status;
  if (status === 'running') throw new UsageError(`run ${runId} is still running`);
  if (status === 'ok' || status === 'changed')
    throw new UsageError(`run ${runId} already finished (${status}); there is nothing to resume`);
  if (status === 'rolledBack')
    throw new UsageError(
      `run ${runId} was rolled back; start a new run with \`${formatNewRunHint(run.start, stateDir)}\``,
    );
  return run;
}

/** Refuses to resume when the playbook, a script or a module changed since the run started. */
export function checkSamePlaybook(run: JournaledRun, playbook: EnginePlaybook, stateDir: string): void {
  const changed: string[] = [];
  if (playbook.sha256 !== run.start.playbook.sha256) changed.push(playbook.file);
  for (const [path, script] of [...playbook.scripts, ...listScriptModules(playbook.scripts.values())])
    if (run.start.scripts[path] !== undefined && run.start.scripts[path] !== script.sha256)
      changed.push(path);
  if (changed.length > 0)
    throw new UsageError(
      `cannot resume ${run.start.runId}: changed since the run started: ${changed.join(', ')}; ` +
        `roll it back with \`${formatRunHint('rollback', run.start.runId, stateDir)}\` and start a new run`,
    );
}
