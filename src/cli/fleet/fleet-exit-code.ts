/** The exit code of a fleet run: its worst host's outcome (README "Many servers"). */
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import type { FleetHostOutcome } from '../../fleet/fleet-journal.js';

/**
 * Worst first: problems remain on a host (1), a host could not be reached (5), the approval
 * refused a host (4), a host was rolled back (3); all ok or repaired is 0. Ctrl+C (130) overrides
 * them all, as it does for one run.
 */
const WORST_FIRST: Array<[FleetHostOutcome, ExitCode]> = [
  ['failed', EXIT.problemsRemain],
  ['unreachable', EXIT.unreachable],
  ['refused', EXIT.refusedByPolicy],
  ['rolledBack', EXIT.rolledBack],
];

/** The exit code for the outcomes of a fleet's hosts. */
export function exitCodeForFleet(outcomes: FleetHostOutcome[], interrupted: boolean): ExitCode {
  if (interrupted || outcomes.some((o) => o === 'cancelled' || o === 'notStarted')) return EXIT.interrupted;
  for (const [outcome, code] of WORST_FIRST) if (outcomes.includes(outcome)) return code;
  return EXIT.ok;
}
