/** Undoes a run's changes in reverse order, each checked against its before-state. */
import type { RollbackEndRecord } from './journal-records.js';
import type { Change } from './run-context.js';
import { type UndoEnv, undoChange } from './undo-change.js';

/** Undoes every change not yet undone, newest first; the worst undo status wins. */
export async function rollbackChanges(
  env: UndoEnv,
  changes: Change[],
  reason: string,
  by: 'run' | 'command',
): Promise<RollbackEndRecord['status']> {
  const todo = changes.filter((c) => c.undone !== 'rolledBack').reverse();
  const steps = todo.map((c) => c.intent.stepId);
  env.journal.append({ type: 'rollback-start', by, reason, steps });
  env.emit({ type: 'rollback.start', reason, steps });
  let status: RollbackEndRecord['status'] = 'rolledBack';
  for (const change of todo) {
    const result = await undoChange(env, change);
    if (result === 'rollbackFailed' || (result === 'revertUnverified' && status === 'rolledBack'))
      status = result;
  }
  env.journal.append({ type: 'rollback-end', status });
  env.emit({ type: 'rollback.end', status });
  return status;
}
