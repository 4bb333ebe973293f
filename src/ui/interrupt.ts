/**
 * Signals during a run. Ctrl+C (and SIGTERM): the first stops the running step, kills its
 * PowerShell and rolls back; a second one exits at once (130), leaving the journal for
 * `psremedy rollback`. SIGHUP (the terminal was closed): nobody can watch or answer any more, so
 * psremedy stops its lab and exits (129) without rolling back; the journal already holds every
 * change's intent, so `psremedy runs` lists the run as crashed with the command that undoes it.
 */

import type { EventSink } from '../engine/events.js';
import { formatRunHint, stateDirOfJournal } from '../engine/run-hints.js';

const HANGUP_CLEANUP_MS = 3000;

/** Listens for SIGINT/SIGTERM/SIGHUP while a run goes on; `dispose` removes the listeners. */
export function handleInterrupts(
  controller: AbortController,
  say: (text: string) => void,
): {
  dispose(): void;
  onHangup(cleanup: () => Promise<void>): void;
  /** Names the run once it has an id, so the quit message gives the exact rollback command. */
  nameRun(rollbackCommand: string): void;
} {
  let count = 0;
  let rollbackCommand = 'psremedy rollback <runId>';
  const hangupCleanups: Array<() => Promise<void>> = [];
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      say('interrupted: stopping the running step and rolling back; press Ctrl+C again to quit at once');
      controller.abort();
      return;
    }
    say(`quitting without finishing the rollback; the journal keeps what to undo: ${rollbackCommand}`);
    process.exit(130);
  };
  const onHangup = () => {
    // The terminal is gone: writing to it fails, and nobody would read it.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    const cleanups = Promise.allSettled(hangupCleanups.map((cleanup) => cleanup()));
    const deadline = new Promise((resolve) => setTimeout(resolve, HANGUP_CLEANUP_MS).unref());
    void Promise.race([cleanups, deadline]).finally(() => process.exit(129));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onHangup);
  return {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onHangup);
    },
    onHangup(cleanup) {
      hangupCleanups.push(cleanup);
    },
    nameRun(command) {
      rollbackCommand = command;
    },
  };
}

/** An event sink that tells the interrupt handler the run's rollback command at `run.start`. */
export function nameRunOnStart(
  interrupts: { nameRun(rollbackCommand: string): void },
  onEvent: EventSink,
): EventSink {
  return (event) => {
    if (event.type === 'run.start')
      interrupts.nameRun(formatRunHint('rollback', event.runId, stateDirOfJournal(event.journalPath)));
    onEvent(event);
  };
}
