/** An unreachable target on the terminal: what, why (src/report/unreachable-reasons.ts), what to do. */
import type { SummaryEvent, TargetUnreachableEvent } from '../engine/events.js';
import type { RankedCause } from '../engine/journal-records.js';
import { describeNextStep, describeReason } from '../report/unreachable-reasons.js';
import type { Colors } from './colors.js';

/** The moment the target turns out unreachable: what, why, and that the client's checks go on. */
export function formatTargetUnreachable(e: TargetUnreachableEvent, c: Colors): string[] {
  const where = e.on === 'target' ? 'the server' : 'the client';
  return [
    c.bold(
      c.red(
        `${e.target} could not be reached for management after ${seconds(e.waitedMs)}: ${describeReason(e.reason)}`,
      ),
    ),
    c.dim(`  ${e.detail}`),
    `  steps on ${where} end UNREACHABLE; the other steps go on. Next: ${describeNextStep(e.reason)}`,
  ];
}

/** The summary's lines for an unreachable target: not inspected, why, and what the client's evidence shows. */
export function formatUnreachableSummary(
  unreachable: NonNullable<SummaryEvent['unreachable']>,
  causes: RankedCause[],
  c: Colors,
): string[] {
  const side = unreachable.on === 'target' ? 'server' : 'client';
  const lines = [
    c.bold(
      c.red(
        `  the ${side} was not inspected: ${unreachable.target} could not be reached: ${describeReason(unreachable.reason)}`,
      ),
    ),
    `    not run there: ${unreachable.steps.join(', ') || 'nothing'}`,
  ];
  const detected = causes.filter((x) => x.detected);
  if (detected.length === 0) {
    lines.push(
      `  the ${unreachable.on === 'target' ? "client's" : "server's"} evidence points to no cause on its own`,
    );
  } else {
    lines.push(`  the ${unreachable.on === 'target' ? "client's" : "server's"} evidence points to:`);
    for (const cause of detected) {
      lines.push(`    ${cause.title} [${cause.cause}] ${Math.round(cause.confidence * 100)}%`);
      for (const ev of cause.evidence) lines.push(c.dim(`      ${ev.stepId}: ${ev.evidence}`));
    }
  }
  lines.push(`  next: ${describeNextStep(unreachable.reason)}`);
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
