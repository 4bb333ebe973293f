import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy schema [--inventory]`: prints the playbook (or inventory) JSON Schema (for editors). */
export function register(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of playbooks, for editors (also at schema/playbook.schema.json)')
    .option(
      '--inventory',
      "print the schema of psremedy's own inventory format instead (schema/inventory.schema.json)",
    )
    .action((options: { inventory?: boolean }) =>
      runAction(async () => {
        if (options.inventory) {
          const { formatInventoryJsonSchema } = await import('../../../inventory/inventory-schema.js');
          processIo.out(formatInventoryJsonSchema());
          return 0;
        }
        const { formatPlaybookJsonSchema } = await import('../../../playbook/json-schema.js');
        processIo.out(formatPlaybookJsonSchema());
        return 0;
      }),
    );
}
