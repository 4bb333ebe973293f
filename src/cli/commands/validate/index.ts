import type { Command } from 'commander';
import { runAction } from '../../run-action.js';

/** `psremedy validate <playbook...> [--json]`: checks playbooks without running anything. */
export function register(program: Command): void {
  program
    .command('validate')
    .description(
      'Check playbooks and the scripts they name; exit 0 when all are valid, 2 when any has problems',
    )
    .argument('<playbook...>', 'playbook files (YAML), or names of shipped ones (psremedy playbooks)')
    .option('--json', 'print one JSON document for tools instead of text')
    .option('--no-parse-scripts', "skip checking the scripts with PowerShell's own parser")
    .option('--inventory <file>', "check an inventory's hosts and params against the playbooks")
    .action((files: string[], options: { json?: boolean; parseScripts: boolean; inventory?: string }) =>
      runAction(async () => {
        const { validatePlaybooks } = await import('./validate-playbooks.js');
        const { resolvePlaybookArgument } = await import('../../../playbook/shipped-playbooks.js');
        return validatePlaybooks(
          files.map((f) => resolvePlaybookArgument(f)),
          {
            json: options.json === true,
            parseScripts: options.parseScripts,
            ...(options.inventory !== undefined ? { inventory: options.inventory } : {}),
          },
        );
      }),
    );
}
