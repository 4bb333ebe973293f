import type { Command } from 'commander';
import { withJournaledRunOptions } from '../../journaled-run-options.js';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy rollback <runId>`: undo a finished, failed or crashed run from its journal alone. */
export function register(program: Command): void {
  withJournaledRunOptions(
    program
      .command('rollback')
      .description(
        'Undo the changes of a run (finished, failed or crashed), newest first, each checked by a fresh test',
      )
      .argument('<runId>', 'the run (see psremedy runs)'),
    'a secret param an undo needs (the journal never keeps secrets)',
  ).action((runId: string, flags) =>
    runAction(async () => {
      const { rollbackCommand } = await import('./rollback-command.js');
      const { EXIT } = await import('../../../core/exit-codes.js');
      const { isFleetRun } = await import('../../../fleet/fleet-journal.js');
      const { resolveStateDir } = await import('../../../engine/run-store.js');
      const status = isFleetRun(resolveStateDir(flags.stateDir), runId)
        ? await (await import('../../fleet/fleet-run-commands.js')).rollbackFleet(runId, flags, processIo)
        : await rollbackCommand(runId, flags, processIo);
      return status === 'rolledBack' || status === 'nothing' ? EXIT.ok : EXIT.problemsRemain;
    }),
  );
}
