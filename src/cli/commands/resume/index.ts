import type { Command } from 'commander';
import { withJournaledRunOptions } from '../../journaled-run-options.js';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy resume <runId>`: continue a failed, interrupted or crashed run after its last finished step. */
export function register(program: Command): void {
  withJournaledRunOptions(
    program
      .command('resume')
      .description(
        'Continue a failed, interrupted or crashed run after its last finished step, with the same playbook and params',
      )
      .argument('<runId>', 'the run (see psremedy runs)'),
    'a secret param (the journal never keeps secrets), or a new value for a journaled one (repeatable)',
  )
    .option('-y, --yes', 'apply fixes without asking')
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
