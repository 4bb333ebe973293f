/**
 * Diagnose steps that run at the same time, on a TTY: one concurrent listr2 list with a task per
 * planned step, each spinning from its step.start to its step.end ("waiting" until it starts).
 * When the group closes, its frame is replaced by one line per step, in the order they ended,
 * marked by what the step found (listr2's icons are per list, not per task).
 */
import { Listr } from 'listr2';
import type { EngineEvent, StepEndEvent } from '../engine/events.js';
import { STEP_MARKS, verdictOf } from '../report/step-marks.js';
import type { Colors } from './colors.js';
import { formatActivity, formatStepOutcome } from './messages.js';
import { paintTone } from './paint-marks.js';
import { terminalWidth, wrapText } from './wrap-text.js';

// biome-ignore lint/suspicious/noExplicitAny: listr2's wrapper type is generic over its renderers.
type Task = { output: string; title: string; skip(message?: string): void } & Record<string, any>;

interface Member {
  title: string;
  task?: Task;
  started: boolean;
  markStarted(): void;
  whenStarted: Promise<void>;
  /** undefined: the group closed before the step ran. */
  end(event: StepEndEvent | undefined): void;
  ended: Promise<StepEndEvent | undefined>;
}

/** One group of concurrently running diagnose steps. */
export class StepGroup {
  private readonly members = new Map<string, Member>();
  private readonly endings: StepEndEvent[] = [];

  constructor(steps: Array<{ id: string; title: string }>) {
    for (const s of steps) this.members.set(s.id, newMember(`${s.id}: ${s.title}`));
  }

  /** True when the step is one of the group's. */
  has(stepId: string): boolean {
    return this.members.has(stepId);
  }

  /** Feeds a step event of one of its steps. */
  onStepEvent(event: EngineEvent): void {
    if (!('stepId' in event)) return;
    const member = this.members.get(event.stepId);
    if (!member) return;
    if (event.type === 'step.start') member.markStarted();
    else if (event.type === 'step.progress' && member.task)
      member.task.output = formatActivity(event.activity);
    else if (event.type === 'step.end') {
      member.markStarted();
      this.endings.push(event);
      member.end(event);
    }
  }

  /** Ends the tasks of steps that never started (the phase is over). */
  close(): void {
    for (const member of this.members.values()) member.end(undefined);
  }

  /** Draws the group until every task ended, then returns one final line per step, in the order they ended. */
  async run(colors: Colors): Promise<string[]> {
    const tasks = [...this.members.values()].map((member) => ({
      title: member.title,
      task: async (_ctx: unknown, task: Task) => {
        member.task = task;
        if (!member.started) task.output = 'waiting';
        await Promise.race([member.whenStarted, member.ended]);
        task.output = '';
        const end = await member.ended;
        if (!end) return task.skip(`${member.title} not run`);
        task.title = finalLine(member.title, end, colors, false);
      },
    }));
    const list = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      rendererOptions: { clearOutput: true },
    });
    await list.run().catch(() => undefined);
    return this.endings.flatMap((end) =>
      wrapText(
        finalLine(this.members.get(end.stepId)?.title ?? end.stepId, end, colors, true),
        terminalWidth(),
        '  ',
      ),
    );
  }
}

function newMember(title: string): Member {
  let markStarted!: () => void;
  let end!: (e: StepEndEvent | undefined) => void;
  const whenStarted = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const ended = new Promise<StepEndEvent | undefined>((resolve) => {
    end = resolve;
  });
  const member: Member = {
    title,
    started: false,
    markStarted: () => {
      member.started = true;
      markStarted();
    },
    whenStarted,
    end,
    ended,
  };
  return member;
}

// The step's own time (from its step.start), not the task's: tasks start with the group.
function finalLine(title: string, end: StepEndEvent, colors: Colors, marked: boolean): string {
  const seconds = colors.dim(`[${(end.durationMs / 1000).toFixed(1)}s]`);
  const line = `${title} ${formatStepOutcome(end, colors)} ${seconds}`;
  if (!marked) return line;
  const { symbol, tone } = STEP_MARKS[verdictOf(end)];
  return `${paintTone(tone, symbol, colors)} ${line}`;
}
