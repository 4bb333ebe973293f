import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy lab list | show | diff | up`: the simulated Windows hosts playbooks can be tried on. */
export function register(program: Command): void {
  const lab = program
    .command('lab')
    .description(
      'Simulated Windows hosts to try playbooks on: list, show and compare scenarios, or start one',
    );
  lab
    .command('list')
    .description('List the lab scenarios with the causes each one should be diagnosed with')
    .option('--dir <folder>', 'read scenarios from this folder instead of lab/scenarios')
    .action((options: { dir?: string }) =>
      runAction(async () => (await import('./lab-command.js')).listScenarios(processIo, options.dir)),
    );
  lab
    .command('show <scenario>')
    .description(
      'Show a scenario: description, expected causes, changes, and how its host differs from the base',
    )
    .option('--json', 'print the resulting host state as JSON')
    .option('--dir <folder>', 'read scenarios from this folder instead of lab/scenarios')
    .action((scenario: string, options: { json?: boolean; dir?: string }) =>
      runAction(async () => (await import('./lab-command.js')).showScenario(processIo, scenario, options)),
    );
  lab
    .command('diff <a> <b>')
    .description('Compare two host states (scenario names or state .json files); exit 1 when they differ')
    .option('--dir <folder>', 'read scenarios from this folder instead of lab/scenarios')
    .action((a: string, b: string, options: { dir?: string }) =>
      runAction(async () => (await import('./lab-command.js')).diffStates(processIo, a, b, options.dir)),
    );
  lab
    .command('up <scenario>')
    .description("Start a scenario's hosts and keep them running (until Ctrl+C), printing how to reach them")
    .option('--state-dir <folder>', 'keep the run folder (state files) here instead of a temp folder')
    .option('--no-remoting', 'start only the RDP listeners (no PowerShell host for New-PSSession)')
    .option('--dir <folder>', 'read scenarios from this folder instead of lab/scenarios')
    .action((scenario: string, options: { stateDir?: string; remoting?: boolean; dir?: string }) =>
      runAction(async () => (await import('./lab-command.js')).upLab(processIo, scenario, options)),
    );
}
