import type { Command } from 'commander';
import { commaList } from '../../comma-list.js';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const hosts = commaList;

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
    .option(
      '--host <names>',
      'of a fleet run: only these hosts (comma list, repeatable; default all)',
      hosts,
      [],
    )
    .option('--output <text|ndjson>', 'text for people, ndjson for machines', 'text')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .option('--verbose', 'show PowerShell diagnostics')
    .action((runId: string, flags) =>
      runAction(async () => {
        const { resumeCommand } = await import('./resume-command.js');
        const { exitCodeForOutcome } = await import('../run/index.js');
        const { isFleetRun } = await import('../../../fleet/fleet-journal.js');
        const { resolveStateDir } = await import('../../../engine/run-store.js');
        if (isFleetRun(resolveStateDir(flags.stateDir), runId)) {
          const { resumeFleet } = await import('../../fleet/fleet-run-commands.js');
          const { exitCodeForFleet } = await import('../../fleet/fleet-exit-code.js');
          const results = await resumeFleet(runId, flags, processIo);
          return exitCodeForFleet(
            results.map((r) => r.outcome),
            false,
          );
        }
        return exitCodeForOutcome(await resumeCommand(runId, flags, processIo));
      }),
    );
}
