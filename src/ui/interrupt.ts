/**
 * Ctrl+C (and SIGTERM) for a run: the first stops the running step, kills its PowerShell and rolls
 * back; a second one exits at once (130), leaving the journal for `psremedy rollback`. Each says
 * what state the server is in and the exact rollback command.
 */

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
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      say(describe(1));
      controller.abort();
      return;
    }
    say(describe(2));
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
