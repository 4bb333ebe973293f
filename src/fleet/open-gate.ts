/**
 * How many sessions a fleet opens at once. Opening one starts PowerShell processes (here, and for
 * a lab host its server side too), which is CPU work on this machine: opening dozens together
 * makes each take longer than its connect timeout. Waiting for the gate does not count against
 * that timeout; a session once open never waits here again.
 */
import { availableParallelism } from 'node:os';

/** The default: one open per core, at least two. */
export function defaultOpensAtOnce(): number {
  return Math.max(2, availableParallelism());
}

/** Runs at most `size` opens at a time, in the order they came. */
export interface OpenGate {
  run<T>(open: () => Promise<T>): Promise<T>;
}

/** A gate of `size` places. */
export function createOpenGate(size: number): OpenGate {
  let running = 0;
  const queue: Array<() => void> = [];
  const leave = () => {
    running -= 1;
    queue.shift()?.();
  };
  return {
    async run(open) {
      if (running >= size) await new Promise<void>((resolve) => queue.push(resolve));
      running += 1;
      try {
        return await open();
      } finally {
        leave();
      }
    },
  };
}
