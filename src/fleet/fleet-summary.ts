/** The summary across a fleet's targets: how many ended which way, and each cause across hosts. */
import type { FleetHostOutcome } from './fleet-journal.js';
import type { FleetHostResult } from './run-fleet.js';

/** Outcome counts, auto-reverted changes, and detected causes grouped across hosts. */
export interface FleetSummary {
  hosts: number;
  counts: Record<FleetHostOutcome, number>;
  /** Hosts where the server reverted a change on its own (counted apart: it ends in another outcome). */
  autoReverted: number;
  /** Each detected cause with the hosts it was found on, most hosts first. */
  causes: Array<{ cause: string; title: string; hosts: string[]; fixedOn: string[] }>;
  /** The hosts of each outcome, in member order. */
  byOutcome: Partial<Record<FleetHostOutcome, string[]>>;
}

/** Every host outcome, best first. */
export const FLEET_OUTCOMES: FleetHostOutcome[] = [
  'ok',
  'repaired',
  'failed',
  'rolledBack',
  'unreachable',
  'refused',
  'cancelled',
  'notStarted',
];

/** Sums up the targets' results. */
export function summarizeFleet(results: FleetHostResult[]): FleetSummary {
  const counts = Object.fromEntries(FLEET_OUTCOMES.map((o) => [o, 0])) as Record<FleetHostOutcome, number>;
  const byOutcome: FleetSummary['byOutcome'] = {};
  const causes = new Map<string, FleetSummary['causes'][number]>();
  let autoReverted = 0;
  for (const r of results) {
    counts[r.outcome] += 1;
    byOutcome[r.outcome] = [...(byOutcome[r.outcome] ?? []), r.host];
    if (r.autoReverted > 0) autoReverted += 1;
    for (const c of r.causes) {
      if (!c.detected) continue;
      const entry = causes.get(c.cause) ?? { cause: c.cause, title: c.title, hosts: [], fixedOn: [] };
      entry.hosts.push(r.host);
      if (!r.remaining.includes(c.cause) && r.outcome === 'repaired') entry.fixedOn.push(r.host);
      causes.set(c.cause, entry);
    }
  }
  return {
    hosts: results.length,
    counts,
    autoReverted,
    causes: [...causes.values()].sort(
      (a, b) => b.hosts.length - a.hosts.length || a.cause.localeCompare(b.cause),
    ),
    byOutcome,
  };
}
