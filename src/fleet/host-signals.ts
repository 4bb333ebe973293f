/**
 * One abort signal per target of a fleet run, fed by a single listener on the fleet's signal.
 * Every run listens to its signal (and its session opens too); were they all given the fleet's
 * signal, --forks 32 would hang 32+ listeners on it and Node would warn of a leak
 * (MaxListenersExceededWarning, at 11). Here the fleet's signal carries one listener whatever the
 * forks, and a target's signal is dropped when its run ends.
 */

/** Hands out host signals that abort when the fleet's does. */
export interface HostSignals {
  /** A signal for one target's run; call `done` when that run has ended. */
  open(): { signal: AbortSignal; done(): void };
  /** Removes the listener from the fleet's signal. */
  close(): void;
}

/** Host signals fanned out from `fleet`. */
export function createHostSignals(fleet: AbortSignal): HostSignals {
  const live = new Set<AbortController>();
  const abortAll = () => {
    for (const controller of live) controller.abort(fleet.reason);
  };
  fleet.addEventListener('abort', abortAll, { once: true });
  return {
    open() {
      const controller = new AbortController();
      if (fleet.aborted) controller.abort(fleet.reason);
      else live.add(controller);
      return { signal: controller.signal, done: () => live.delete(controller) };
    },
    close: () => fleet.removeEventListener('abort', abortAll),
  };
}
