import { Command, CommanderError } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { VERSION } from './version.js';

/**
 * Subcommands register themselves from their own modules, loaded lazily inside their action, so
 * `psremedy --help` loads commander and nothing else (no yaml, zod, node-powershell or prompts).
 */
export function buildProgram(): Command {
  const program = new Command('psremedy')
    .description(
      'Run YAML playbooks of PowerShell diagnostics and fixes, with previews, a journal and rollback.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();
  return program;
}

/** Runs the CLI and returns the process exit code (the only place exit codes are decided). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput;
    }
    throw error;
  }
}
