/** Picks the reporter and the way to ask for a run: listr2 on a TTY, plain lines otherwise, or NDJSON. */
import type { Decider } from '../../../engine/decider.js';
import { createColors } from '../../../ui/colors.js';
import { createListrReporter } from '../../../ui/listr-reporter.js';
import { createNdjsonReporter } from '../../../ui/ndjson-reporter.js';
import { createPlainReporter } from '../../../ui/plain-reporter.js';
import { createInquirerPrompts, type PromptAdapter } from '../../../ui/prompt-adapter.js';
import { createPromptDecider } from '../../../ui/prompt-decider.js';
import type { Reporter } from '../../../ui/reporter.js';

/** True when prompts may be shown: stdin and stdout are terminals and CI is not set. */
export function isInteractive(
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return stdin.isTTY === true && stdout.isTTY === true && !ci;
}

/** The reporter and decider of one run. */
export interface RunUi {
  reporter: Reporter;
  decider: Decider;
}

/** Builds the run's UI; `onInterrupt` is called for Ctrl+C inside a prompt. */
export function createRunUi(options: {
  output: 'text' | 'ndjson';
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  onInterrupt: () => void;
  prompts?: PromptAdapter;
}): RunUi {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const colors = createColors(options.output === 'ndjson' ? stderr : stdout);
  const write = (line: string) => stdout.write(`${line}\n`);
  if (options.output === 'ndjson') {
    const prompts = options.prompts ?? createInquirerPrompts(stderr);
    return {
      reporter: createNdjsonReporter(write),
      decider: createPromptDecider(prompts, colors, options.onInterrupt),
    };
  }
  if (stdout.isTTY) {
    const listr = createListrReporter(stdout, colors);
    return {
      reporter: listr,
      decider: createPromptDecider(options.prompts ?? listr.prompts, colors, options.onInterrupt),
    };
  }
  const prompts = options.prompts ?? createInquirerPrompts(stderr);
  return {
    reporter: createPlainReporter(write, colors),
    decider: createPromptDecider(prompts, colors, options.onInterrupt),
  };
}
