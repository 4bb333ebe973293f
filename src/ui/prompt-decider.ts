/** Answers the engine's questions by asking a person through the PromptAdapter. */
import type { Decider, FixDecision, FixPreview, KeepQuestion, StepDecision } from '../engine/decider.js';
import { formatStateLines } from '../report/readable-state.js';
import { countOf } from '../report/words.js';
import type { Colors } from './colors.js';
import { formatConfidence, formatValue } from './messages.js';
import type { PromptAdapter } from './prompt-adapter.js';
import { cutText, terminalWidth, wrapText } from './wrap-text.js';

type FixChoice = FixDecision | 'details';

/** A Decider that prompts; `onInterrupt` runs when the person presses Ctrl+C inside a prompt. */
export function createPromptDecider(
  prompts: PromptAdapter,
  colors: Colors,
  onInterrupt: () => void,
): Decider {
  const ask = askReportingInterrupt(onInterrupt);
  return {
    async decideFix(preview, signal) {
      let details = false;
      for (;;) {
        const answer = await ask(() =>
          prompts.select<FixChoice>(
            {
              message: describeFix(preview, details, colors),
              choices: [
                {
                  name: 'apply',
                  value: 'apply',
                  description: 'make this change (it is journaled and can be undone)',
                },
                { name: 'skip', value: 'skip', description: 'leave this one as it is and go on' },
                {
                  name: details ? 'fewer details' : 'details',
                  value: 'details',
                  description: 'show the evidence, the full state and the preview',
                },
                {
                  name: 'abort and roll back',
                  value: 'abort',
                  description: 'stop here and undo every change this run made',
                },
              ],
              default: 'apply',
            },
            signal,
          ),
        );
        if (answer !== 'details') return answer;
        details = !details;
      }
    },
    async decideKeep(question, signal) {
      return ask(() => prompts.confirm({ message: describeKeep(question, colors), default: true }, signal));
    },
    async decideStep(step, signal) {
      return ask(() =>
        prompts.select<StepDecision>(
          {
            message: `Run step ${step.id}: ${step.title} (${step.kind}${step.kind === 'fix' ? `, risk ${step.risk}` : ''})?`,
            choices: [
              { name: 'yes', value: 'run' },
              { name: 'no, skip it', value: 'skip' },
              { name: 'continue without asking', value: 'continue' },
              { name: 'abort', value: 'abort' },
            ],
            default: 'run',
          },
          signal,
        ),
      );
    },
  };
}

/** Runs a prompt; a Ctrl+C inside it (inquirer's ExitPromptError) also calls `onInterrupt`. */
export function askReportingInterrupt(onInterrupt: () => void) {
  return async <T>(question: () => Promise<T>): Promise<T> => {
    try {
      return await question();
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') onInterrupt();
      throw error;
    }
  };
}

/** How many state lines the short view shows before "… N more (details)". */
const BRIEF_STATE_LINES = 4;

/**
 * The text above a fix prompt: why, what is there now (the script's summary and the state as
 * labelled lines; the JSON under details), what will change, the risk. Laid out for `width`.
 */
export function describeFix(p: FixPreview, details: boolean, c: Colors, width = terminalWidth()): string {
  const { step } = p;
  // inquirer puts "? " before the first line.
  const room = width - 2;
  const wrap = (text: string, indent: string) =>
    details ? wrapText(text, room, indent) : [cutText(text, room)];
  const lines = [
    c.bold(`Apply ${step.id}: ${step.title}`),
    `  on the ${step.on}, risk ${riskWord(step.risk, c)}`,
  ];
  for (const cause of p.causes) {
    const agree = countOf(cause.agreeing, 'finding');
    lines.push(
      ...wrapText(
        `  cause: ${cause.title} [${cause.cause}] ${formatConfidence(cause.confidence)}, ${agree}`,
        room,
        '         ',
      ),
    );
    for (const ev of details ? cause.evidence : cause.evidence.slice(0, 1))
      lines.push(...wrapText(`    ${ev.stepId}: ${ev.evidence}`, room, '      ').map((l) => c.dim(l)));
  }
  const stateLines = [...p.summary, ...formatStateLines(p.state)];
  const shown = details ? stateLines : stateLines.slice(0, BRIEF_STATE_LINES);
  for (const [i, line] of shown.entries())
    lines.push(...wrap(`${i === 0 ? '  now: ' : '       '}${line}`, '         '));
  if (shown.length < stateLines.length)
    lines.push(c.dim(`       … ${stateLines.length - shown.length} more (details)`));
  if (details)
    lines.push(
      c.dim('  state (JSON):'),
      ...JSON.stringify(p.state, null, 2)
        .split('\n')
        .map((l) => c.dim(`    ${l}`)),
    );
  const whatIf = details ? p.whatIf : p.whatIf.slice(0, 3);
  if (p.noPreview)
    lines.push(
      ...wrapText(`  will change: no preview available (${p.noPreview})`, room, '    ').map((l) =>
        c.yellow(l),
      ),
    );
  else if (whatIf.length > 0)
    lines.push('  will change:', ...whatIf.flatMap((l) => wrapText(`    ${l}`, room, '      ')));
  else if (p.whatIfResult !== undefined)
    lines.push(...wrap(`  will change: ${formatValue(p.whatIfResult, details ? 2000 : room)}`, '    '));
  else lines.push(c.dim('  will change: (the apply script printed no -WhatIf preview)'));
  if (p.whatIfError)
    lines.push(...wrapText(`  preview: ${p.whatIfError}`, room, '    ').map((l) => c.yellow(l)));
  if (step.confirm) lines.push(...wrapText(`  ${step.confirm.trim()}`, room, '    '));
  lines.push(
    typeof step.undo === 'string'
      ? c.dim('  undo: journaled; psremedy rollback puts it back (checked by a fresh test)')
      : c.yellow(`  cannot be undone: ${step.undo.none}`),
  );
  if (step.revertUnlessConfirmed !== undefined)
    lines.push(
      ...wrapText(
        `  reverted unless you confirm it within ${step.revertUnlessConfirmed} after it is applied`,
        room,
        '    ',
      ).map((l) => c.yellow(l)),
    );
  return lines.join('\n');
}

function describeKeep(q: KeepQuestion, c: Colors): string {
  const seconds = Math.round(q.timeoutMs / 1000);
  const room = terminalWidth() - 2;
  const labelled = (label: string, value: unknown) =>
    formatStateLines(value).map((line, i) => cutText(`${i === 0 ? label : '           '}${line}`, room));
  const heading = q.onServer
    ? `${c.bold('The server answers again: keep this change?')} ${q.step.id}: ${q.step.title}. The server undoes it itself in ${seconds} s unless you answer yes.`
    : `${c.bold(`Keep ${q.step.id}: ${q.step.title}?`)} It is undone in ${seconds} s unless you answer yes.`;
  return [heading, ...labelled('  before:  ', q.before), ...labelled('  after:   ', q.after)].join('\n');
}

function riskWord(risk: string, c: Colors): string {
  return risk === 'low' ? risk : risk === 'medium' ? c.yellow(risk) : c.bold(c.red(risk));
}
