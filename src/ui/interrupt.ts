/**
 * Ctrl+C (and SIGTERM) for a run: the first stops the running step, kills its PowerShell and rolls
 * back; a second one exits at once (130), leaving the journal for `psremedy rollback`. Each says
 * what state the server is in and the exact rollback command.
 */

import { terminalWidth, wrapText } from './wrap-text.js';

/** Listens for SIGINT/SIGTERM while a run goes on; `interrupt` is the same for a Ctrl+C inside a prompt. */
export function handleInterrupts(
  controller: AbortController,
  say: (text: string) => void,
  describe: (count: 1 | 2) => string = (count) =>
    count === 1
      ? 'interrupted: stopping the running step and rolling back; press Ctrl+C again to quit at once'
      : 'quitting without finishing the rollback; the journal keeps what to undo (psremedy runs, psremedy rollback <runId>)',
): { interrupt(): void; dispose(): void } {
  let count = 0;
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupt: onSignal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
