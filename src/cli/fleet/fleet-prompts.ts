/**
 * The fleet's questions put to a person: one per fix for every host waiting at it ("apply to all
 * N affected hosts / choose hosts / evidence / skip / abort"), through the PromptAdapter plus a
 * checkbox for choosing hosts.
 */
import type { KeepQuestion } from '../../engine/decider.js';
import type { FleetAsker, FleetFixAnswer, FleetFixQuestion } from '../../fleet/fleet-decider.js';
import type { Colors } from '../../ui/colors.js';
import { formatConfidence } from '../../ui/messages.js';
import type { Choice, PromptAdapter } from '../../ui/prompt-adapter.js';
import { askReportingInterrupt, describeFix } from '../../ui/prompt-decider.js';

/** A PromptAdapter that can also let a person tick several choices. */
export interface FleetPromptAdapter extends PromptAdapter {
  checkbox<T extends string>(
    question: { message: string; choices: Choice<T>[] },
    signal: AbortSignal,
  ): Promise<T[]>;
}

type FleetChoice = 'all' | 'choose' | 'evidence' | 'skip' | 'abort';

/** Inquirer's prompts on stderr, with its checkbox. */
export async function createInquirerFleetPrompts(
  output: NodeJS.WritableStream = process.stderr,
): Promise<FleetPromptAdapter> {
  const { createInquirerPrompts } = await import('../../ui/prompt-adapter.js');
  return {
    ...createInquirerPrompts(output),
    async checkbox(question, signal) {
      const { checkbox } = await import('@inquirer/prompts');
      return checkbox({ message: question.message, choices: question.choices }, { output, signal });
    },
  };
}

/** Asks each fleet question once; `onInterrupt` runs for Ctrl+C inside a prompt. */
export function createFleetPromptAsker(
  prompts: FleetPromptAdapter,
  colors: Colors,
  onInterrupt: () => void,
): FleetAsker {
  const ask = askReportingInterrupt(onInterrupt);
  return {
    async askFix(q, signal) {
      let evidence = false;
      for (;;) {
        const answer = await ask(() =>
          prompts.select<FleetChoice>(
            {
              message: describeFleetFix(q, evidence, colors),
              choices: [
                { name: `apply to all ${q.hosts.length} affected hosts`, value: 'all' },
                {
                  name: 'choose hosts',
                  value: 'choose',
                  description: 'tick the hosts to apply it on; the others skip it',
                },
                { name: evidence ? 'less evidence' : "each host's evidence", value: 'evidence' },
                { name: 'skip on every host', value: 'skip' },
                { name: 'abort and roll back every host', value: 'abort' },
              ],
              default: 'all',
            },
            signal,
          ),
        );
        if (answer === 'evidence') {
          evidence = !evidence;
          continue;
        }
        return answerOf(answer, q, prompts, signal, ask);
      }
    },
    askKeep: (host, question: KeepQuestion, signal) =>
      ask(() =>
        prompts.confirm(
          {
            message: `${host}: keep ${question.step.id}: ${question.step.title}? It is undone in ${Math.round(question.timeoutMs / 1000)} s unless you answer yes.`,
            default: true,
          },
          signal,
        ),
      ),
  };
}

async function answerOf(
  answer: Exclude<FleetChoice, 'evidence'>,
  q: FleetFixQuestion,
  prompts: FleetPromptAdapter,
  signal: AbortSignal,
  ask: <T>(question: () => Promise<T>) => Promise<T>,
): Promise<FleetFixAnswer> {
  if (answer === 'abort') return 'abort';
  if (answer === 'skip') return { apply: [], remember: 'none' };
  if (answer === 'all') return { apply: q.hosts.map((h) => h.host), remember: 'all' };
  const chosen = await ask(() =>
    prompts.checkbox<string>(
      {
        message: `Apply ${q.step.id} on which hosts?`,
        choices: q.hosts.map((h) => ({ name: h.host, value: h.host })),
      },
      signal,
    ),
  );
  return { apply: chosen, remember: 'no' };
}

/** The text above a fleet question: the fix as a single run shows it, then every host with its top cause. */
export function describeFleetFix(q: FleetFixQuestion, evidence: boolean, c: Colors): string {
  const first = q.hosts[0];
  if (!first) return `Apply ${q.step.id}?`;
  const lines = [
    describeFix({ ...first.preview, causes: [] }, false, c)
      .split('\n')
      .slice(0, 2)
      .join('\n'),
  ];
  lines.push(`  affected hosts (${q.hosts.length}):`);
  for (const { host, preview } of q.hosts) {
    const top = preview.causes[0];
    lines.push(
      `    ${host}: ${top ? `${top.cause} ${formatConfidence(top.confidence)}` : 'no detected cause'}`,
    );
    if (evidence)
      for (const cause of preview.causes)
        for (const ev of cause.evidence) lines.push(c.dim(`      ${ev.stepId}: ${ev.evidence}`));
  }
  return lines.join('\n');
}
