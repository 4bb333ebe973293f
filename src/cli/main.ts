import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { VERSION } from '../core/version.js';

// commander's CommonJS entry, required directly: its ESM wrapper costs ~10 ms of the --help cold start.
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

/**
 * Each subcommand lives in src/cli/commands/<name>.ts and exports `register(program)`. Those
 * modules import only commander types; they load their implementation lazily inside the action,
 * so `psremedy --help` loads commander and nothing else (no yaml, zod, node-powershell, prompts).
 */
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  run: () => import('./commands/run/index.js'),
  runs: () => import('./commands/runs/index.js'),
  rollback: () => import('./commands/rollback/index.js'),
  resume: () => import('./commands/resume/index.js'),
  report: () => import('./commands/report/index.js'),
  validate: () => import('./commands/validate/index.js'),
  inventory: () => import('./commands/inventory/index.js'),
  playbooks: () => import('./commands/playbooks/index.js'),
  plan: () => import('./commands/plan/index.js'),
  schema: () => import('./commands/schema/index.js'),
  test: () => import('./commands/test/index.js'),
  lab: () => import('./commands/lab/index.js'),
  keygen: () => import('./commands/keygen/index.js'),
  approve: () => import('./commands/approve/index.js'),
  verify: () => import('./commands/verify/index.js'),
  doctor: () => import('./commands/doctor/index.js'),
};

/**
 * Builds the commander program. Given the command line, it loads only the subcommand named there
 * (every command's help and parsing stay commander's); otherwise every subcommand, in parallel.
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new commander.Command('psremedy')
    .description(
      'Run YAML playbooks of PowerShell diagnostics and fixes, with previews, a journal and rollback.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();
  const named = argv[2] !== undefined ? COMMANDS[argv[2]] : undefined;
  const modules = await Promise.all(named ? [named()] : Object.values(COMMANDS).map((load) => load()));
  for (const module of modules) module.register(program);
  return program;
}

/** Runs the CLI and returns the process exit code (the only place exit codes are decided). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof commander.CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
        return EXIT.ok;
      return EXIT.badInput;
    }
    throw error;
  }
}
