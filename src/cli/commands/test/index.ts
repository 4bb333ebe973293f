import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const names = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** `psremedy test <playbook> --scenarios <dir|files...>`: diagnosis, repair and rollback against lab scenarios. */
export function register(program: Command): void {
  program
    .command('test')
    .description(
      'Test a playbook against lab scenarios: per scenario, did the diagnosis name the planted causes, did the repair leave a healthy host, did rollback restore the start exactly',
    )
    .argument('<playbook>', 'playbook file (YAML), or the name of a shipped one (psremedy playbooks)')
    .requiredOption('--scenarios <paths...>', 'scenario folders (every *.yaml in them) and/or scenario files')
    .option('--only <names>', 'test only these scenarios (comma-separated, repeatable)', names, [])
    .option(
      '-p, --param <name=value>',
      'a playbook param (repeatable); the lab fills the host param',
      collect,
      [],
    )
    .option('--params-file <file>', 'a YAML or JSON file of NAME: value params (--param wins)')
    .option('--json', 'print the results as JSON')
    .option('--jobs <n>', 'scenarios tested at the same time', '1')
    .option(
      '--state-dir <dir>',
      'keep runs, journals and lab states here (default: a temp folder, kept only when a scenario fails)',
    )
    .action((file: string, flags) =>
      runAction(async () => {
        const { testCommand } = await import('./test-command.js');
        const { resolvePlaybookArgument } = await import('../../../playbook/shipped-playbooks.js');
        return testCommand(resolvePlaybookArgument(file), flags, processIo);
      }),
    );
}
