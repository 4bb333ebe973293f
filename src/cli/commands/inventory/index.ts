import type { Command } from 'commander';
import { runAction } from '../../run-action.js';

/** `psremedy inventory <file> [--limit p] [--playbook p] [--output text|json]`: the resolved hosts. */
export function register(program: Command): void {
  program
    .command('inventory')
    .description(
      "List the hosts of an inventory (Ansible YAML or INI, or psremedy's own) with their transport, groups and params; exit 2 on problems",
    )
    .argument('<file>', 'inventory file')
    .option('--limit <pattern>', 'only hosts matching an Ansible host pattern (web*, group, !name, &group)')
    .option('--playbook <playbook>', 'check the params against this playbook (a path or a shipped name)')
    .option('--output <format>', 'text or json', 'text')
    .action((file: string, options: { limit?: string; playbook?: string; output: string }) =>
      runAction(async () => {
        const { listInventory } = await import('./list-inventory.js');
        return listInventory(file, options);
      }),
    );
}
