import type { Command } from 'commander';
import { runAction } from '../../run-action.js';

/** `psremedy plan <playbook>`: checks params and lists the steps in order, running nothing. */
export function register(program: Command): void {
  program
    .command('plan')
    .description('Check params and show, in order, what each step would run and where (runs nothing)')
    .argument('<playbook>', 'playbook file (YAML), or the name of a shipped one (psremedy playbooks)')
    .option('-p, --param <name=value>', 'a playbook param (repeatable)', collect, [] as string[])
    .option('--params-file <file>', 'a YAML or JSON file of NAME: value params (--param wins)')
    .option('--json', 'print the plan as JSON')
    .action((file: string, options: { param: string[]; paramsFile?: string; json?: boolean }) =>
      runAction(async () => {
        const { showPlan } = await import('./show-plan.js');
        const { resolvePlaybookArgument } = await import('../../../playbook/shipped-playbooks.js');
        return showPlan(resolvePlaybookArgument(file), options);
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
