import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy report <runId>`: a run's report, rendered from its journal. */
export function register(program: Command): void {
  program
    .command('report')
    .description('Render the report of a run from its journal: Markdown, self-contained HTML, or JSON')
    .argument('<run>', 'a run id (see `psremedy runs`) or the path of a journal.jsonl')
    .option('-f, --format <format>', 'md, html or json', 'md')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--state-dir <dir>', 'where runs are kept (default: $PSREMEDY_HOME or ./.psremedy)')
    .action(async (run: string, options: { format: string; out?: string; stateDir?: string }) => {
      await runAction(async () => {
        const { isFleetRun } = await import('../../../fleet/fleet-journal.js');
        const { resolveStateDir } = await import('../../../engine/run-store.js');
        if (isFleetRun(resolveStateDir(options.stateDir), run)) {
          const { writeFleetReport } = await import('../../fleet/fleet-run-commands.js');
          return writeFleetReport(run, options, (text) => process.stdout.write(text));
        }
        const { writeRunReport } = await import('../../../report/write-report.js');
        return writeRunReport(
          run,
          options,
          (text) => process.stdout.write(text),
          (text) => processIo.err(text),
        );
      }, processIo);
    });
}
