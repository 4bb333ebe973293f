/**
 * Ctrl+C (and SIGTERM) for a run: the first stops the running step, kills its PowerShell and rolls
 * back; a second one exits at once (130), leaving the journal for `psremedy rollback`.
 */

/** Listens for SIGINT/SIGTERM while a run goes on; `dispose` removes the listeners. */
export function handleInterrupts(
  controller: AbortController,
  say: (text: string) => void,
): { dispose(): void } {
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      say('interrupted: stopping the running step and rolling back; press Ctrl+C again to quit at once');
      controller.abort();
      return;
    }
    say(
      'quitting without finishing the rollback; the journal keeps what to undo (psremedy runs, psremedy rollback <runId>)',
    );
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
