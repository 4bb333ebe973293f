import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `psremedy resume <runId>`: continue a failed, interrupted or crashed run after its last finished step. */
export function register(program: Command): void {
  program
    .command('resume')
    .description(
      'Continue a failed, interrupted or crashed run after its last finished step, with the same playbook and params',
    )
    .argument('<runId>', 'the run (see psremedy runs)')
    .option('-y, --yes', 'apply fixes without asking')
    .option(
      '-p, --param <name=value>',
      'a secret param (the journal never keeps secrets), or a new value for a journaled one (repeatable)',
      collect,
      [],
    )
    .option('--output <text|ndjson>', 'text for people, ndjson for machines', 'text')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .option('--verbose', 'show PowerShell diagnostics')
    .action((runId: string, flags) =>
      runAction(async () => {
        const { resumeCommand } = await import('./resume-command.js');
        const { exitCodeForOutcome } = await import('../run/index.js');
        return exitCodeForOutcome(await resumeCommand(runId, flags, processIo));
      }),
    );
}
