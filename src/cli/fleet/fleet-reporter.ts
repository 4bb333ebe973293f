/**
 * What a fleet run shows: one line per host when it starts, when a step changes, fails or rolls
 * back, and when it ends; then the summary across hosts. NDJSON: every engine event with its
 * `host`, a `fleet.hostEnd` per host and one `fleet.summary`.
 */
import type { EngineEvent } from '../../engine/events.js';
import { formatRunHint } from '../../engine/run-hints.js';
import type { FleetHostOutcome } from '../../fleet/fleet-journal.js';
import { FLEET_OUTCOMES } from '../../fleet/fleet-summary.js';
import type { FleetHostResult, FleetResult } from '../../fleet/run-fleet.js';
import type { Colors } from '../../ui/colors.js';

/** Receives a fleet run's events. */
export interface FleetReporter {
  onEvent(host: string, event: EngineEvent): void;
  onHostEnd(result: FleetHostResult): void;
  onFleetEnd(result: FleetResult, stateDir: string): void;
}

/** The people's words for each outcome. */
export const OUTCOME_WORDS: Record<FleetHostOutcome, string> = {
  ok: 'ok',
  repaired: 'repaired',
  failed: 'failed',
  rolledBack: 'rolled back',
  unreachable: 'unreachable',
  refused: 'refused',
  cancelled: 'cancelled',
  notStarted: 'not started',
};

const NOTED_STATUSES = new Set(['changed', 'failed', 'timedOut', 'rolledBack', 'rollbackFailed']);

/** One JSON object a line, for machines. */
export function createFleetNdjsonReporter(write: (line: string) => void): FleetReporter {
  return {
    onEvent: (host, event) => write(JSON.stringify({ host, ...event })),
    onHostEnd: (result) => write(JSON.stringify({ type: 'fleet.hostEnd', ...result })),
    onFleetEnd: (result) =>
      write(
        JSON.stringify({
          type: 'fleet.summary',
          fleetId: result.fleetId,
          journalPath: result.journalPath,
          interrupted: result.interrupted,
          durationMs: result.durationMs,
          ...result.summary,
        }),
      ),
  };
}

/** Plain lines prefixed with the host, for people. */
export function createFleetTextReporter(write: (line: string) => void, c: Colors): FleetReporter {
  const crashesSeen = new Set<string>();
  return {
    onEvent(host, event) {
      if (event.type === 'run.start') write(c.dim(`${host}: started (run ${event.runId})`));
      if (event.type === 'run.crashFound' && !crashesSeen.has(event.runId)) {
        crashesSeen.add(event.runId);
        write(
          c.yellow(
            `note: run ${event.runId} (${event.playbook}) never finished; psremedy runs says how to undo it`,
          ),
        );
      }
      if (event.type === 'step.end' && NOTED_STATUSES.has(event.status))
        write(`${host}: ${event.stepId} ${event.status}${event.reason ? `: ${event.reason}` : ''}`);
    },
    onHostEnd(r) {
      const word = OUTCOME_WORDS[r.outcome];
      const colored = r.outcome === 'ok' || r.outcome === 'repaired' ? c.green(word) : c.yellow(word);
      write(`${c.bold(r.host)}: ${colored}${describeHostDetail(r)}`);
    },
    onFleetEnd(result, stateDir) {
      for (const line of describeFleetSummary(result, stateDir)) write(line);
    },
  };
}

/** What follows a host's outcome: its causes and fixes, or why it did not run. */
export function describeHostDetail(r: FleetHostResult): string {
  if (r.reason) return ` — ${r.reason}`;
  const detected = r.causes.filter((c) => c.detected).map((c) => c.cause);
  const parts = [
    detected.length > 0 ? `causes: ${detected.join(', ')}` : 'no cause found',
    ...(r.fixed.length > 0 ? [`fixed by ${r.fixed.join(', ')}`] : []),
    ...(r.remaining.length > 0 ? [`remain: ${r.remaining.join(', ')}`] : []),
    ...(r.autoReverted > 0 ? [`${r.autoReverted} change(s) reverted by the server itself`] : []),
  ];
  return ` — ${parts.join('; ')}`;
}

/** The summary lines: counts, causes across hosts, where each non-ok host stands, what to run next. */
export function describeFleetSummary(result: FleetResult, stateDir: string): string[] {
  const s = result.summary;
  const counts = (['ok', 'repaired', 'failed', 'rolledBack', 'unreachable', 'refused'] as const)
    .map((o) => `${OUTCOME_WORDS[o]} ${s.counts[o]}`)
    .concat(`auto-reverted ${s.autoReverted}`);
  if (s.counts.cancelled + s.counts.notStarted > 0)
    counts.push(`cancelled ${s.counts.cancelled}`, `not started ${s.counts.notStarted}`);
  const lines = [
    `summary: ${result.hosts.length} hosts in ${(result.durationMs / 1000).toFixed(1)} s (fleet run ${result.fleetId})`,
    `  ${counts.join(', ')}`,
  ];
  for (const cause of s.causes)
    lines.push(
      `  ${cause.cause} on ${cause.hosts.length} of ${s.hosts}${cause.fixedOn.length > 0 ? `, fixed on ${cause.fixedOn.length}` : ''}: ${cause.hosts.join(', ')}`,
    );
  if (s.causes.length === 0) lines.push('  no cause found on any host');
  for (const outcome of FLEET_OUTCOMES.filter((o) => o !== 'ok' && o !== 'repaired')) {
    const hosts = s.byOutcome[outcome];
    if (hosts?.length) lines.push(`  ${OUTCOME_WORDS[outcome]}: ${hosts.join(', ')}`);
  }
  lines.push(
    `  undo every host: ${formatRunHint('rollback', result.fleetId, stateDir)}`,
    `  one host:        ${formatRunHint('rollback', result.fleetId, stateDir)} --host <name>`,
    `  report:          ${formatRunHint('report', result.fleetId, stateDir)} --format html --out fleet.html`,
  );
  return lines;
}
