/**
 * listr2 on a TTY: a spinner and timer per step, prompts drawn inside the step's task. listr2 runs
 * tasks, the engine emits events: each step becomes a one-task Listr that waits for its step.end.
 * Everything is queued so two renderers never draw at once; other events print between steps.
 */
import { ListrInquirerPromptAdapter } from '@listr2/prompt-adapter-inquirer';
import { Listr, ListrDefaultRendererLogLevels, type ListrTaskWrapper, PRESET_TIMER } from 'listr2';
import type { EngineEvent, StepEndEvent } from '../engine/events.js';
import { STEP_MARKS, type StepVerdict, verdictOf } from '../report/step-marks.js';
import type { Colors } from './colors.js';
import { formatActivity, formatDiff, formatStepOutcome } from './messages.js';
import { paintTone } from './paint-marks.js';
import { describeEvent } from './plain-reporter.js';
import type { PromptAdapter } from './prompt-adapter.js';
import { createInquirerPrompts } from './prompt-adapter.js';
import type { Reporter } from './reporter.js';

// biome-ignore lint/suspicious/noExplicitAny: listr2's wrapper type is generic over its renderers.
type Task = ListrTaskWrapper<any, any, any>;

interface LiveStep {
  id: string;
  title: string;
  task: Promise<Task>;
  setTask(task: Task): void;
  end(event: StepEndEvent): void;
  ended: Promise<StepEndEvent>;
}

/** A listr2 reporter and the prompt adapter that draws inside its current task. */
export function createListrReporter(
  out: NodeJS.WriteStream,
  colors: Colors,
): Reporter & { prompts: PromptAdapter } {
  let queue: Promise<unknown> = Promise.resolve();
  let live: LiveStep | undefined;
  const titles = new Map<string, string>();
  const enqueue = (work: () => unknown) => {
    queue = queue.then(work).catch(() => undefined);
  };
  const writeLines = (lines: string[]) => {
    if (lines.length > 0) enqueue(() => out.write(`${lines.join('\n')}\n`));
  };

  const onEvent = (event: EngineEvent) => {
    if (event.type === 'step.start') {
      live = startLiveStep(
        event.stepId,
        `${event.phase === 'recheck' ? 're-check ' : ''}${event.stepId}: ${event.title}`,
      );
      const step = live;
      enqueue(() => runStepList(step, colors));
      return;
    }
    if (event.type === 'step.progress' && live?.id === event.stepId) {
      const step = live;
      void step.task.then((t) => {
        t.output = formatActivity(event.activity);
      });
      return;
    }
    if (event.type === 'step.diff' && live?.id === event.stepId) {
      const lines = formatDiff(event);
      void live.task.then((t) => {
        t.output = lines.join('\n');
      });
      return;
    }
    if (event.type === 'step.end' && live?.id === event.stepId) {
      live.end(event);
      live = undefined;
      return;
    }
    writeLines(describeEvent(event, colors, titles));
  };

  const prompts: PromptAdapter = {
    async select(question, signal) {
      const task = live ? await live.task : undefined;
      if (!task) {
        await queue;
        return createInquirerPrompts(out).select(question, signal);
      }
      const { select } = await import('@inquirer/prompts');
      return task
        .prompt(ListrInquirerPromptAdapter)
        .run(select, question, { signal }) as unknown as Promise<never>;
    },
    async confirm(question, signal) {
      const task = live ? await live.task : undefined;
      if (!task) {
        await queue;
        return createInquirerPrompts(out).confirm(question, signal);
      }
      const { confirm } = await import('@inquirer/prompts');
      return task
        .prompt(ListrInquirerPromptAdapter)
        .run(confirm, question, { signal }) as unknown as Promise<boolean>;
    },
  };

  return { onEvent, finish: () => queue.then(() => undefined), prompts };
}

function startLiveStep(id: string, title: string): LiveStep {
  let setTask!: (t: Task) => void;
  let end!: (e: StepEndEvent) => void;
  const task = new Promise<Task>((resolve) => {
    setTask = resolve;
  });
  const ended = new Promise<StepEndEvent>((resolve) => {
    end = resolve;
  });
  return { id, title, task, setTask, end: (e) => end(e), ended };
}

async function runStepList(step: LiveStep, colors: Colors): Promise<void> {
  // listr2 calls icon and colour functions at each render, so the final mark follows the verdict.
  let verdict: StepVerdict = 'ok';
  const symbol = () => STEP_MARKS[verdict].symbol;
  const paint = (text: string) => paintTone(STEP_MARKS[verdict].tone, text, colors);
  const finalLevels = [
    ListrDefaultRendererLogLevels.COMPLETED,
    ListrDefaultRendererLogLevels.FAILED,
    ListrDefaultRendererLogLevels.SKIPPED_WITH_COLLAPSE,
    ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE,
  ];
  const list = new Listr(
    [
      {
        title: step.title,
        rendererOptions: { persistentOutput: true },
        task: async (_ctx, task) => {
          step.setTask(task);
          const end = await step.ended;
          verdict = verdictOf(end);
          task.output = '';
          const outcome = formatStepOutcome(end, colors);
          task.title = `${step.title} ${outcome}`;
          // An unreachable step did not run: skipped, so the list goes on, yet marked UNREACHABLE.
          if (end.status === 'skipped' || end.status === 'unreachable') return task.skip(task.title);
          if (end.status === 'failed' || end.status === 'timedOut' || end.status === 'cancelled')
            throw new Error(`${step.title} ${outcome}`);
        },
      },
    ],
    {
      renderer: 'default',
      rendererOptions: {
        timer: PRESET_TIMER,
        showErrorMessage: true,
        collapseErrors: false,
        icon: Object.fromEntries(finalLevels.map((level) => [level, symbol])),
        color: Object.fromEntries(finalLevels.map((level) => [level, paint])),
      },
      exitOnError: false,
      registerSignalListeners: false,
    },
  );
  await list.run().catch(() => undefined);
}
