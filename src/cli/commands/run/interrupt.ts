/**
 * Signals during a run. Ctrl+C (and SIGTERM): the first stops the running step, kills its
 * PowerShell and rolls back; a second one exits at once (130), leaving the journal for
 * `psremedy rollback`. Each says what state the server is in and the exact rollback command.
 * SIGHUP (the terminal was closed): nobody can watch or answer any more, so psremedy stops its lab
 * and exits (129) without rolling back; the journal already holds every change's intent, so
 * `psremedy runs` lists the run as crashed with the command that undoes it.
 */

import { terminalWidth, wrapText } from '../../../ui/wrap-text.js';

const HANGUP_CLEANUP_MS = 3000;

/**
 * Listens for SIGINT/SIGTERM/SIGHUP while a run goes on; `interrupt` is the same for a Ctrl+C
 * inside a prompt; `onHangup` adds what to stop when the terminal closes; `dispose` removes the
 * listeners.
 */
export function handleInterrupts(
  controller: AbortController,
  say: (text: string) => void,
  describe: (count: 1 | 2) => string = (count) =>
    count === 1
      ? 'interrupted: stopping the running step and rolling back; press Ctrl+C again to quit at once'
      : 'quitting without finishing the rollback; the journal keeps what to undo (psremedy runs, psremedy rollback <runId>)',
): { interrupt(): void; dispose(): void; onHangup(cleanup: () => Promise<void>): void } {
  let count = 0;
  const hangupCleanups: Array<() => Promise<void>> = [];
  // Prose is wrapped to the terminal; a line that starts with two spaces (a command) is kept whole.
  const sayWrapped = (text: string) =>
    say(
      text
        .split('\n')
        .flatMap((line) =>
          line.startsWith('  ') ? [line] : wrapText(line, terminalWidth(process.stderr), ''),
        )
        .join('\n'),
    );
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      sayWrapped(describe(1));
      controller.abort();
      return;
    }
    sayWrapped(describe(2));
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
    interrupt: onSignal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onHangup);
    },
    onHangup(cleanup) {
      hangupCleanups.push(cleanup);
    },
  };
}
