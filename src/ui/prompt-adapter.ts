/**
 * The one way psremedy asks a person anything. The run command uses inquirer (inside the listr2
 * task on a TTY, else on stderr); tests replace the whole adapter with scripted answers.
 */

/** One choice of a select prompt. */
export interface Choice<T extends string> {
  name: string;
  value: T;
  description?: string;
}

/** Asks questions; rejects when the prompt is closed (Ctrl+C, closed stdin) or the signal aborts. */
export interface PromptAdapter {
  select<T extends string>(
    question: { message: string; choices: Choice<T>[]; default?: T },
    signal: AbortSignal,
  ): Promise<T>;
  confirm(question: { message: string; default: boolean }, signal: AbortSignal): Promise<boolean>;
}

/** Inquirer prompts written to `output` (stderr by default, so they reach the terminal when stdout is piped). */
export function createInquirerPrompts(output: NodeJS.WritableStream = process.stderr): PromptAdapter {
  return {
    async select(question, signal) {
      const { select } = await import('@inquirer/prompts');
      return select(
        { message: question.message, choices: question.choices, default: question.default },
        { output, signal },
      );
    },
    async confirm(question, signal) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message: question.message, default: question.default }, { output, signal });
    },
  };
}
