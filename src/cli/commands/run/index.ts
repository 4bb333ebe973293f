import type { Command } from 'commander';
import { commaList } from '../../comma-list.js';
import { processIo, runAction } from '../../run-action.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const ids = commaList;

/** The exit code of a run's outcome (README "Exit codes"). */
export async function exitCodeForOutcome(outcome: string): Promise<number> {
  const { EXIT } = await import('../../../core/exit-codes.js');
  if (outcome === 'ok' || outcome === 'changed') return EXIT.ok;
  if (outcome === 'rolledBack') return EXIT.rolledBack;
  if (outcome === 'cancelled') return EXIT.interrupted;
  if (outcome === 'unreachable') return EXIT.unreachable;
  return EXIT.problemsRemain;
}

/** `psremedy run <playbook>`: diagnose, rank causes, confirm, fix, verify, and roll back on failure. */
export function register(program: Command): void {
  program
    .command('run')
    .description(
      'Diagnose, show the likely causes, and fix them with your consent; every change is journaled and can be undone',
    )
    .argument('<playbook>', 'playbook file (YAML), or the name of a shipped one (psremedy playbooks)')
    .option('-C, --check', 'diagnose and test only: change nothing, say what would change')
    .option(
      '-D, --diff',
      'show the before and after of each change (with --check: the test state and -WhatIf)',
    )
    .option('-y, --yes', 'apply fixes without asking')
    .option('--step', 'ask before every step (yes / no / continue without asking / abort)')
    .option('--start-at <id>', 'skip the steps before this one')
    .option('--only <ids>', 'run only these steps (comma-separated, repeatable)', ids, [])
    .option('--skip <ids>', 'do not run these steps (comma-separated, repeatable)', ids, [])
    .option('-p, --param <name=value>', 'a playbook param (repeatable)', collect, [])
    .option('--params-file <file>', 'a YAML or JSON file of NAME: value params (--param wins)')
    .option('--no-rollback', 'after a failure keep the changes made so far (the journal says so)')
    .option(
      '--target <hosts>',
      'the host `on: target` steps run on (default: the playbook target, else this machine); several: a comma list or repeated, one run each',
      ids,
    )
    .option(
      '--inventory <file>',
      "the targets: the hosts of an inventory (Ansible YAML or INI, or psremedy's own; psremedy inventory lists them)",
    )
    .option(
      '--limit <pattern>',
      'with --inventory: only hosts matching an Ansible host pattern (web*, group, !name, &group)',
    )
    .option('--forks <n>', 'with several targets: how many run at once (default 32)')
    .option('--transport <ssh|winrm>', 'how to reach --target (default: the playbook target, else winrm)')
    .option('--user <name>', 'user name on the target')
    .option('--port <n>', 'port of the target transport')
    .option('--key-file <file>', 'SSH private key for --transport ssh')
    .option(
      '--connect-timeout <duration>',
      'how long opening the session to --target may take before its steps end unreachable',
      '30s',
    )
    .option(
      '--lab <[name=]scenario>',
      'run against a fresh simulated host of a lab scenario (its state path is printed); several (a comma list or repeated) make a fleet, each host renamed to its name',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--output <text|ndjson>',
      'text for people, ndjson for machines (one JSON event per line)',
      'text',
    )
    .option('--timeout <duration>', 'default per-step timeout (e.g. 60s); a step can set its own', '60s')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .option('--verbose', 'show PowerShell diagnostics and stack traces')
    // Unattended runs (src/approval): never prompt; run only what a trusted approval allows.
    .option('--unattended', 'run an approved playbook without prompting (needs --approval and --trust)')
    .option('--approval <file>', 'with --unattended: the approval file (psremedy approve)')
    .option('--trust <key|folder>', 'with --unattended: a trusted public key (.pub), or a folder of them')
    .action((file: string, flags) =>
      runAction(async () => {
        const { resolvePlaybookArgument } = await import('../../../playbook/shipped-playbooks.js');
        const { parseLabEntries } = await import('../../../lab/lab-fleet.js');
        const { target: targets = [], lab: labs = [], ...rest } = flags;
        const labEntries = parseLabEntries(labs as string[]);
        const fleet =
          rest.inventory !== undefined ||
          rest.limit !== undefined ||
          (targets as string[]).length > 1 ||
          labEntries.length > 1 ||
          labEntries.some((e) => e.name);
        if (fleet) {
          const { fleetCommand } = await import('../../fleet/fleet-command.js');
          const { exitCodeForFleet } = await import('../../fleet/fleet-exit-code.js');
          const fleet = await fleetCommand(
            resolvePlaybookArgument(file),
            { ...rest, targets, labEntries },
            processIo,
          );
          return exitCodeForFleet(
            fleet.hosts.map((h) => h.outcome),
            fleet.interrupted,
          );
        }
        const { runCommand } = await import('./run-command.js');
        const single = {
          ...rest,
          ...(targets[0] ? { target: targets[0] } : {}),
          ...(labEntries[0] ? { lab: labEntries[0].scenario } : {}),
        };
        return exitCodeForOutcome(await runCommand(resolvePlaybookArgument(file), single, processIo));
      }),
    );
}
