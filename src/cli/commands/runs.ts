import type { Command } from 'commander';
import { processIo, runAction } from '../run-action.js';

/** `psremedy runs`: the runs in the state folder with their outcome (crashed runs included). */
export function register(program: Command): void {
  program
    .command('runs')
    .description('List runs with their outcome, newest last; crashed runs say how to undo or continue them')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .option('--json', 'print the list as JSON')
    .action((flags: { stateDir?: string; json?: boolean }) =>
      runAction(async () => {
        const { listRunsCommand } = await import('../../ui/runs-command.js');
        return listRunsCommand(flags, processIo);
      }),
    );
}
