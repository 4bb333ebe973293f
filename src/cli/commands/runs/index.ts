import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy runs`: the runs in the state folder with their outcome (crashed runs included). */
export function register(program: Command): void {
  program
    .command('runs')
    .description('List runs with their outcome, newest last; crashed runs say how to undo or continue them')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .argument('[fleetRun]', 'a fleet run: list its hosts and where each stands')
    .option('--host <names>', 'with a fleet run: only these hosts (comma list)', (v: string) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .option('--json', 'print the list as JSON')
    .option(
      '--forget <runId>',
      'stop warning about a run that never finished (killed, crashed); its journal stays and rollback still works',
    )
    .action(
      (
        fleetRun: string | undefined,
        flags: { stateDir?: string; json?: boolean; forget?: string; host?: string[] },
      ) =>
        runAction(async () => {
          if (fleetRun) {
            const { listFleet } = await import('../../fleet/fleet-run-commands.js');
            return listFleet(fleetRun, flags, processIo);
          }
          const { forgetRunCommand, listRunsCommand } = await import('./runs-command.js');
          if (flags.forget) return forgetRunCommand(flags.forget, flags, processIo);
          return listRunsCommand(flags, processIo);
        }),
    );
}
