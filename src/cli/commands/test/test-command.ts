/** `psremedy test`: flags -> testPlaybook -> a table per scenario (or JSON) and an exit code. */
import { UsageError } from '../../../core/errors.js';
import { EXIT } from '../../../core/exit-codes.js';
import { testPlaybook } from '../../../scenario-test/test-playbook.js';
import { createColors } from '../../../ui/colors.js';
import { renderJson, renderScenario, renderSummary } from './render-results.js';

/** The flags of `psremedy test`. */
export interface TestFlags {
  scenarios: string[];
  only: string[];
  param: string[];
  paramsFile?: string;
  json?: boolean;
  stateDir?: string;
  jobs?: string;
}

/** Tests a playbook against scenarios; 0 when every scenario passed, 1 otherwise. */
export async function testCommand(
  file: string,
  flags: TestFlags,
  io: { out(text: string): void; err(text: string): void },
): Promise<number> {
  const colors = createColors(process.stdout);
  const result = await testPlaybook({
    playbookFile: file,
    scenarios: flags.scenarios,
    only: flags.only,
    params: flags.param,
    ...(flags.paramsFile ? { paramsFile: flags.paramsFile } : {}),
    ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
    ...(flags.jobs ? { jobs: parseJobs(flags.jobs) } : {}),
    onWarning: io.err,
    onResult: (r) => {
      if (!flags.json) io.out(`${renderScenario(r, colors).join('\n')}\n`);
    },
  });
  if (flags.json) io.out(renderJson(result));
  else io.out(renderSummary(result, colors).join('\n'));
  return result.passed ? EXIT.ok : EXIT.problemsRemain;
}

function parseJobs(text: string): number {
  if (/^[1-9]\d*$/.test(text.trim())) return Number(text);
  throw new UsageError(`--jobs ${text} is not a whole number of 1 or more`);
}
