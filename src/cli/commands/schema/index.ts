import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy schema`: prints the playbook JSON Schema (for editors). */
export function register(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of playbooks, for editors (also at schema/playbook.schema.json)')
    .action(() =>
      runAction(async () => {
        const { formatPlaybookJsonSchema } = await import('../../../playbook/json-schema.js');
        processIo.out(formatPlaybookJsonSchema());
        return 0;
      }),
    );
}
