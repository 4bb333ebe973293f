import type { Command } from 'commander';
import { commaList } from '../../comma-list.js';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const hosts = commaList;

/** `psremedy rollback <runId>`: undo a finished, failed or crashed run from its journal alone. */
export function register(program: Command): void {
  program
    .command('rollback')
    .description(
      'Undo the changes of a run (finished, failed or crashed), newest first, each checked by a fresh test',
    )
    .argument('<runId>', 'the run (see psremedy runs)')
    .option(
      '-p, --param <name=value>',
      'a secret param an undo needs (the journal never keeps secrets)',
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
