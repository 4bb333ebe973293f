import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy playbooks [--json]`: the shipped playbooks, which `run`, `plan`, `validate` and `test` take by name. */
export function register(program: Command): void {
  program
    .command('playbooks')
    .description('List the shipped playbooks; run one by name (psremedy run rdp-0x904) or give a path')
    .option('--json', 'print the list as JSON')
    .action((options: { json?: boolean }) =>
      runAction(async () => {
        const { listShippedPlaybooks, SHIPPED_PLAYBOOK_DIR } = await import(
          '../../../playbook/shipped-playbooks.js'
        );
        const playbooks = listShippedPlaybooks();
        if (options.json) {
          processIo.out(JSON.stringify(playbooks, null, 2));
          return 0;
        }
        const width = Math.max(4, ...playbooks.map((p) => p.name.length));
        processIo.out(`${'NAME'.padEnd(width)}  TITLE`);
        const { terminalWidth, wrapText } = await import('../../../ui/wrap-text.js');
        const columns = terminalWidth();
        for (const p of playbooks)
          for (const line of wrapText(`${p.name.padEnd(width)}  ${p.title}`, columns, ' '.repeat(width + 2)))
            processIo.out(line);
        processIo.out(`\nfrom ${SHIPPED_PLAYBOOK_DIR}`);
        processIo.out('run one by name: psremedy run rdp-0x904 --lab firewall-closed');
        processIo.out('or give the path of your own playbook');
        return 0;
      }),
    );
}
