/**
 * Compares a lab host's state file with its state at the start, strictly: every field counts
 * except events the simulated Windows appended (Service Control Manager 7036 on each service
 * start/stop, 1056 on a certificate renewal), as a real event log keeps growing. Events that
 * were there at the start must still be there, unchanged.
 */
import { type HostState, readHostState } from '../lab/host-state.js';
import { compareStates, type StateDifference } from '../lab/state-diff.js';

/** What differs from the start, and what was left out as volatile. */
export interface HostComparison {
  host: string;
  differences: StateDifference[];
  /** Appended events, not counted. */
  ignored: StateDifference[];
}

/** Reads every host's state file now and compares it with its snapshot from the start. */
export async function compareWithStart(
  start: Map<string, HostState>,
  paths: Map<string, string>,
): Promise<HostComparison[]> {
  const out: HostComparison[] = [];
  for (const [host, initial] of start) {
    const path = paths.get(host);
    if (!path) throw new Error(`no state file for lab host ${host}`);
    out.push(splitVolatile(host, compareStates(initial, await readHostState(path))));
  }
  return out;
}

/** Splits differences into those that count and appended events. */
export function splitVolatile(host: string, all: StateDifference[]): HostComparison {
  const isAppendedEvent = (d: StateDifference) => d.kind === 'added' && /^events\[[^\]]+\]$/.test(d.path);
  return {
    host,
    differences: all.filter((d) => !isAppendedEvent(d)),
    ignored: all.filter(isAppendedEvent),
  };
}
