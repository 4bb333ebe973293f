/** Answers the engine's questions by asking a person through the PromptAdapter. */
import type { Decider, FixDecision, FixPreview, KeepQuestion, StepDecision } from '../engine/decider.js';
import type { Colors } from './colors.js';
import { formatConfidence, formatValue } from './messages.js';
import type { PromptAdapter } from './prompt-adapter.js';

type FixChoice = FixDecision | 'details';

/** A Decider that prompts; `onInterrupt` runs when the person presses Ctrl+C inside a prompt. */
export function createPromptDecider(
  prompts: PromptAdapter,
  colors: Colors,
  onInterrupt: () => void,
): Decider {
  const ask = async <T>(question: () => Promise<T>): Promise<T> => {
    try {
      return await question();
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') onInterrupt();
      throw error;
    }
  };
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

/** The text above a fix prompt: why, what is there now, what will change, the risk. */
export function describeFix(p: FixPreview, details: boolean, c: Colors): string {
  const { step } = p;
  const max = details ? 2000 : 160;
  const lines = [
    `${c.bold(`Apply ${step.id}: ${step.title}`)} on the ${step.on}, risk ${riskWord(step.risk, c)}`,
  ];
  for (const cause of p.causes) {
    lines.push(
      `  cause: ${cause.title} [${cause.cause}] ${formatConfidence(cause.confidence)}, ${cause.agreeing} finding(s)`,
    );
    for (const ev of details ? cause.evidence : cause.evidence.slice(0, 1))
      lines.push(c.dim(`    ${ev.stepId}: ${ev.evidence}`));
  }
  lines.push(
    `  now: ${details ? JSON.stringify(p.state, null, 2).replaceAll('\n', '\n    ') : formatValue(p.state, max)}`,
  );
  const whatIf = details ? p.whatIf : p.whatIf.slice(0, 3);
  if (p.noPreview) lines.push(c.yellow(`  will change: no preview available (${p.noPreview})`));
  else if (whatIf.length > 0) lines.push('  will change:', ...whatIf.map((l) => `    ${l}`));
  else if (p.whatIfResult !== undefined) lines.push(`  will change: ${formatValue(p.whatIfResult, max)}`);
  else lines.push(c.dim('  will change: (the apply script printed no -WhatIf preview)'));
  if (p.whatIfError) lines.push(c.yellow(`  preview: ${p.whatIfError}`));
  if (step.confirm) lines.push(`  ${step.confirm}`);
  lines.push(
    typeof step.undo === 'string'
      ? c.dim('  undo: journaled, checked by a fresh test')
      : c.yellow(`  cannot be undone: ${step.undo.none}`),
  );
  if (step.revertUnlessConfirmed !== undefined)
    lines.push(
      c.yellow(`  reverted unless you confirm it within ${step.revertUnlessConfirmed} after it is applied`),
    );
  return lines.join('\n');
}

function describeKeep(q: KeepQuestion, c: Colors): string {
  const seconds = Math.round(q.timeoutMs / 1000);
  return [
    `${c.bold(`Keep ${q.step.id}: ${q.step.title}?`)} It is undone in ${seconds} s unless you answer yes.`,
    `  before: ${formatValue(q.before)}`,
    `  after:  ${formatValue(q.after)}`,
  ].join('\n');
}

function riskWord(risk: string, c: Colors): string {
  return risk === 'low' ? risk : risk === 'medium' ? c.yellow(risk) : c.bold(c.red(risk));
}
