import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy keygen --out <name>`: an Ed25519 key pair for approving playbooks. */
export function register(program: Command): void {
  program
    .command('keygen')
    .description(
      'Make an Ed25519 key pair for approving playbooks: <name>.key (private, mode 0600) and <name>.pub',
    )
    .requiredOption('--out <name>', 'path and base name of the key files (writes <name>.key and <name>.pub)')
    .option('--name <approver>', 'the approver name recorded in approvals (default: user@host)')
    .option('--force', 'replace an existing key pair')
    .action((options: { out: string; name?: string; force?: boolean }) =>
      runAction(async () => {
        const { generateKeyFiles } = await import('../../../approval/keygen.js');
        const result = generateKeyFiles(options);
        processIo.out(`private key: ${result.keyFile} (keep it secret; only approvers need it)`);
        processIo.out(`public key:  ${result.pubFile} (give it to the machines that run: --trust)`);
        processIo.out(`approver:    ${result.name}`);
        processIo.out(`fingerprint: ${result.fingerprint}`);
        return 0;
      }),
    );
}
