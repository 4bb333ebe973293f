import type { Command } from 'commander';
import { processIo, runAction } from '../run-action.js';

/** `psremedy playbooks [--json]`: the shipped playbooks, which `run`, `plan`, `validate` and `test` take by name. */
export function register(program: Command): void {
  program
    .command('playbooks')
    .description('List the shipped playbooks; run one by name (psremedy run rdp-0x904) or give a path')
    .option('--json', 'print the list as JSON')
    .action((options: { json?: boolean }) =>
      runAction(async () => {
        const { listShippedPlaybooks, SHIPPED_PLAYBOOK_DIR } = await import(
          '../../playbook/shipped-playbooks.js'
        );
        const playbooks = listShippedPlaybooks();
        if (options.json) {
          processIo.out(JSON.stringify(playbooks, null, 2));
          return 0;
        }
        const width = Math.max(4, ...playbooks.map((p) => p.name.length));
        processIo.out(`${'NAME'.padEnd(width)}  TITLE`);
        for (const p of playbooks) processIo.out(`${p.name.padEnd(width)}  ${p.title}`);
        processIo.out(`\nfrom ${SHIPPED_PLAYBOOK_DIR}`);
        processIo.out(
          'run one by name (psremedy run rdp-0x904 --lab firewall-closed), or give a path to your own',
        );
        return 0;
      }),
    );
}
