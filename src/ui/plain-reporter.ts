/** Plain lines, one per thing that happened: for logs, pipes and CI (no cursor movement). */
import type { EngineEvent } from '../engine/events.js';
import type { Colors } from './colors.js';
import {
  formatActivity,
  formatCauses,
  formatCrashFound,
  formatDiff,
  formatRollbackStep,
  formatRunStart,
  formatStepEnd,
  formatSummary,
} from './messages.js';
import type { Reporter } from './reporter.js';
import { formatServerRevert } from './server-revert-words.js';
import { formatTargetUnreachable } from './unreachable-words.js';
import { terminalWidth, wrapText } from './wrap-text.js';

/** Writes each event as plain lines through `write` (one call per line). */
export function createPlainReporter(write: (line: string) => void, colors: Colors): Reporter {
  const titles = new Map<string, string>();
  return {
    onEvent: (event) => {
      for (const line of describeEvent(event, colors, titles)) write(line);
    },
    finish: async () => {},
  };
}

/** The plain lines for one event (also used by the listr2 reporter for what is not a task). */
export function describeEvent(event: EngineEvent, c: Colors, stepTitles: Map<string, string>): string[] {
  switch (event.type) {
    case 'run.start':
      for (const s of event.steps) stepTitles.set(s.id, s.title);
      return formatRunStart(event, c);
    case 'run.crashFound':
      return formatCrashFound(event, c);
    case 'step.start':
      return event.kind === 'fix' ? [c.dim(`${event.stepId}: ${event.title}`)] : [];
    case 'step.progress':
      return event.activity === 'applying' ||
        event.activity === 'reconnecting' ||
        event.activity === 'waitingForServerRevert'
        ? [c.dim(`  ${event.stepId}: ${formatActivity(event.activity)}`)]
        : [];
    case 'step.diff':
      return formatDiff(event).flatMap((l) => wrapText(`  ${event.stepId}: ${l}`, terminalWidth(), '      '));
    case 'step.end':
      return wrapText(
        formatStepEnd(event, stepTitles.get(event.stepId) ?? event.stepId, c),
        terminalWidth(),
        '    ',
      );
    case 'target.unreachable':
      return formatTargetUnreachable(event, c).flatMap((l) => wrapText(l, terminalWidth(), '    '));
    case 'causes.ranked':
      return formatCauses(event, c);
    case 'cause.recheck':
      return [
        `  ${event.cause} after ${event.fixedBy}: ${event.cleared ? c.green('cleared') : c.yellow('still present')}`,
      ];
    case 'prompt.answered':
      return event.by === 'timeout' ? [c.yellow(`  ${event.stepId}: not confirmed in time; reverting`)] : [];
    case 'rollback.start':
      return [
        c.bold(c.yellow(`rolling back (${event.reason}): ${event.steps.join(', ') || 'nothing to undo'}`)),
      ];
    case 'rollback.step':
      return formatRollbackStep(event, c);
    case 'step.serverRevert':
      return formatServerRevert(event, c).flatMap((l) => wrapText(l, terminalWidth(), '      '));
    case 'rollback.end':
      return [
        `rollback: ${event.status === 'rolledBack' ? c.green('done, verified') : c.bold(c.red(event.status))}`,
      ];
    case 'summary':
      return formatSummary(event, c);
  }
}
