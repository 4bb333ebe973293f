import { Command, CommanderError } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { VERSION } from './version.js';

/**
 * Each subcommand lives in src/cli/commands/<name>.ts and exports `register(program)`. Those
 * modules import only commander types; they load their implementation lazily inside the action,
 * so `psremedy --help` loads commander and nothing else (no yaml, zod, node-powershell, prompts).
 */
const COMMANDS: Array<() => Promise<{ register(program: Command): void }>> = [
  // one line per command, e.g. () => import('./commands/validate.js'),
  () => import('./commands/keygen.js'),
  () => import('./commands/approve.js'),
  () => import('./commands/verify.js'),
  () => import('./commands/validate.js'),
  () => import('./commands/schema.js'),
  () => import('./commands/plan.js'),
  () => import('./commands/doctor.js'),
  () => import('./commands/report.js'),
  () => import('./commands/lab.js'),
  () => import('./commands/run.js'),
  () => import('./commands/runs.js'),
  () => import('./commands/rollback.js'),
  () => import('./commands/resume.js'),
  () => import('./commands/test.js'),
];

/** Builds the commander program with every working subcommand. */
export async function buildProgram(): Promise<Command> {
  const program = new Command('psremedy')
    .description(
      'Run YAML playbooks of PowerShell diagnostics and fixes, with previews, a journal and rollback.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const load of COMMANDS) (await load()).register(program);
  return program;
}

/** Runs the CLI and returns the process exit code (the only place exit codes are decided). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
        return EXIT.ok;
      return EXIT.badInput;
    }
    throw error;
  }
}
