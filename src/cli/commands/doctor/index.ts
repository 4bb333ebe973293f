import type { Command } from 'commander';
import { processIo, runAction } from '../../run-action.js';

/** `psremedy doctor [--json]`: which PowerShell psremedy uses, its path, version and edition, and what it tried. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'Show which PowerShell psremedy uses (path, version, edition) and what it tried; builds the bundled host if needed',
    )
    .option('--json', 'print the report as JSON')
    .action((options: { json?: boolean }) =>
      runAction(async () => {
        const { diagnosePowerShell, formatDoctorReport } = await import('../../../powershell/doctor.js');
        const report = await diagnosePowerShell();
        if (options.json) processIo.out(JSON.stringify(report, null, 2));
        else for (const line of formatDoctorReport(report)) processIo.out(line);
        return report.ok ? 0 : 1;
      }),
    );
}
