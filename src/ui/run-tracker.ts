/**
 * What a run has done to the server so far, from its events: which changes are in place or being
 * applied, and the exact rollback command. Ctrl+C uses it to say where things stand.
 */
import type { EngineEvent } from '../engine/events.js';
import { rollbackCommandFor } from '../report/recap.js';

/** Follows a run's events; `describeInterrupt` words the state of the server at a Ctrl+C. */
export interface RunTracker {
  observe(event: EngineEvent): void;
  describeInterrupt(count: 1 | 2): string;
}

/**
 * A tracker for one run; `keepsChanges` is --no-rollback (an interrupt then keeps the changes);
 * `inPlace` are changes a resumed run's journal says are still there.
 */
export function createRunTracker(options: { keepsChanges: boolean; inPlace?: string[] }): RunTracker {
  let runId: string | undefined;
  let journalPath: string | undefined;
  let running: string | undefined;
  let applying: string | undefined;
  const inPlace: string[] = [...(options.inPlace ?? [])];
  return {
    observe(event) {
      if (event.type === 'run.start') ({ runId, journalPath } = event);
      else if (event.type === 'step.start') running = event.stepId;
      else if (event.type === 'step.progress' && event.activity === 'applying') applying = event.stepId;
      else if (event.type === 'step.end') {
        if (event.kind === 'fix' && event.status === 'changed' && !inPlace.includes(event.stepId))
          inPlace.push(event.stepId);
        if (applying === event.stepId && event.status !== 'changed' && !inPlace.includes(event.stepId))
          inPlace.push(event.stepId);
        running = undefined;
        applying = undefined;
      } else if (event.type === 'rollback.step' && event.status === 'rolledBack') {
        const i = inPlace.indexOf(event.stepId);
        if (i >= 0) inPlace.splice(i, 1);
      }
    },
    describeInterrupt(count) {
      if (runId === undefined || journalPath === undefined)
        return count === 1
          ? 'interrupted before the run started: nothing was changed on the server'
          : 'quitting: nothing was changed on the server';
      // The command goes on a line of its own, so it is never wrapped and pastes whole.
      const rollback = `\n  ${rollbackCommandFor(runId, journalPath)}`;
      const changes = [
        ...inPlace,
        ...(applying && !inPlace.includes(applying) ? [`${applying} (being applied)`] : []),
      ];
      if (changes.length === 0)
        return count === 1
          ? `interrupted: stopping${running ? ` ${running}` : ''}; nothing was changed on the server, there is nothing to roll back`
          : 'quitting: nothing was changed on the server';
      const list = changes.join(', ');
      if (count === 2)
        return `quitting without finishing the rollback: the server may still have ${list}; undo with:${rollback}`;
      if (options.keepsChanges)
        return `interrupted: stopping${running ? ` ${running}` : ''}; --no-rollback keeps ${list} on the server; undo later with:${rollback}`;
      return `interrupted: stopping${running ? ` ${running}` : ''} and rolling back ${list} (newest first); Ctrl+C again quits at once and leaves them for:${rollback}`;
    },
  };
}
