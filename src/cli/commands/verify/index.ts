import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface VerifyFlags {
  approval: string;
  trust: string;
  target: string[];
  param: string[];
  paramsFile?: string;
}

/** `psremedy verify <playbook> --approval F --trust K`: the unattended run's checks, without running. */
export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'Check an approval as an unattended run would (signature, files, expiry, targets, params), without running',
    )
    .argument('<playbook>', 'the playbook file')
    .requiredOption('--approval <file>', 'the approval file (from psremedy approve)')
    .requiredOption('--trust <key|folder>', 'a trusted public key (.pub), or a folder of them')
    .option('--target <host>', 'a host the run will reach (repeatable)', collect, [])
    .option('--param <K=V>', 'a param the run will be given (repeatable)', collect, [])
    .option('--params-file <file>', 'a YAML or JSON file of params the run will read')
    .action((playbookFile: string, flags: VerifyFlags) =>
      runAction(async () => {
        const { verifyApproval } = await import('../../../approval/verify-approval.js');
        const { parseParamAssignments } = await import('../../../playbook/index.js');
        const verified = await verifyApproval({
          playbookFile,
          approvalFile: flags.approval,
          trust: flags.trust,
          targets: flags.target
            .flatMap((t) => t.split(','))
            .map((t) => t.trim())
            .filter(Boolean),
          params: parseParamAssignments(flags.param),
        });
        const id = verified.identity;
        processIo.out(
          `approval ok: ${verified.playbook.doc.name} approved by ${id.approver} (${id.keyFingerprint})`,
        );
        processIo.out(`  covers:    ${verified.bundle.size} files, ${id.bundleDigest}, unchanged`);
        processIo.out(`  fix steps: ${id.fixSteps.join(', ') || 'none'} (max risk ${id.maxRisk})`);
        processIo.out(`  valid:     ${id.created} to ${id.expires}`);
        return 0;
      }),
    );
}
