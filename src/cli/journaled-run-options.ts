/** The options of the commands that act on a journaled run (resume, rollback), declared once. */
import type { Command } from 'commander';
import { commaList } from './comma-list.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `-p/--param` with the command's own help, then `--host`, `--output`, `--state-dir`, `--verbose`. */
export function withJournaledRunOptions(command: Command, paramHelp: string): Command {
  return command
    .option('-p, --param <name=value>', paramHelp, collect, [])
    .option(
      '--host <names>',
      'of a fleet run: only these hosts (comma list, repeatable; default all)',
      commaList,
      [],
    )
    .option('--output <text|ndjson>', 'text for people, ndjson for machines', 'text')
    .option('--state-dir <dir>', 'where runs and journals live (default $PSREMEDY_HOME, else ./.psremedy)')
    .option('--verbose', 'show PowerShell diagnostics');
}
