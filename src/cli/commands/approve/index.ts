import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface ApproveFlags {
  key: string;
  steps?: string;
  maxRisk?: string;
  targets: string[];
  param: string[];
  expires?: string;
  note?: string;
  out?: string;
}

/** `psremedy approve <playbook> --key <private>`: sign an approval for unattended runs. */
export function register(program: Command): void {
  program
    .command('approve')
    .description(
      'Check a playbook, then sign an approval of it and every script it can reach for unattended runs',
    )
    .argument('<playbook>', 'the playbook file')
    .requiredOption('--key <private>', 'your private key (from psremedy keygen)')
    .option(
      '--steps <ids>',
      'comma-separated fix steps that may apply changes (default: every fix step within --max-risk)',
    )
    .option(
      '--max-risk <level>',
      'low | medium | high | disruptive: no approved fix step may be riskier (default high: disruptive steps only when named)',
    )
    .option(
      '--targets <hosts>',
      'comma-separated hosts target steps may reach; * matches any characters (repeatable)',
      collect,
      [],
    )
    .option(
      '--param <K=V|K=~regex>',
      'fix a param value, or constrain it to a regex (repeatable)',
      collect,
      [],
    )
    .option('--expires <when>', 'a duration (90m, 12h, 30d, 2w) or a date (2030-01-31)', '30d')
    .option('--note <text>', 'why this is approved (kept in the approval, the journal and the report)')
    .option('--out <file>', 'where to write the approval (default: <playbook>.approval.json beside it)')
    .action((playbookFile: string, flags: ApproveFlags) =>
      runAction(async () => {
        const { approvePlaybook } = await import('../../../approval/approve.js');
        const result = await approvePlaybook({
          playbookFile,
          keyFile: flags.key,
          steps: flags.steps
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          maxRisk: flags.maxRisk,
          targets: flags.targets,
          params: flags.param,
          expires: flags.expires,
          note: flags.note,
          out: flags.out,
        });
        for (const warning of result.warnings) processIo.err(`warning: ${warning}`);
        const { approval } = result;
        const policy = approval.policy;
        processIo.out(`approved ${approval.playbook.name}: ${result.approvalFile}`);
        processIo.out(`  approver:  ${approval.approver.name} (${approval.approver.keyFingerprint})`);
        processIo.out(`  covers:    ${approval.bundle.files.length} files, ${approval.bundle.digest}`);
        processIo.out(`  fix steps: ${policy.fixSteps.join(', ') || 'none'} (max risk ${policy.maxRisk})`);
        if (result.defaultMaxRisk)
          processIo.out(
            `  default maximum risk: ${result.defaultMaxRisk} (no --steps or --max-risk given; a disruptive step is approved only when named in --steps or with --max-risk disruptive)`,
          );
        if (result.leftOut.length > 0)
          processIo.out(
            `  left out:  ${result.leftOut.map((s) => `${s.id} (risk ${s.risk})`).join(', ')}, above the maximum risk`,
          );
        processIo.out(`  targets:   ${policy.targets.join(', ') || 'none (client steps only)'}`);
        const params = Object.entries(policy.params).map(([k, r]) =>
          'equals' in r ? `${k}=${r.equals}` : `${k}=~${r.matches}`,
        );
        processIo.out(`  params:    ${params.join(', ') || 'none may be given (playbook defaults apply)'}`);
        processIo.out(`  valid:     ${approval.created} to ${approval.expires}`);
        return 0;
      }),
    );
}
