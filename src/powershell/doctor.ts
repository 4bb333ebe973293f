/** `psremedy doctor`: which PowerShell psremedy would use, checked by starting it once. */
import { execFile } from 'node:child_process';
import { PowerShellError } from '../core/errors.js';
import { findPowerShell } from './find-powershell.js';

/** What doctor found out. */
export interface DoctorReport {
  ok: boolean;
  engine?: {
    path: string;
    args: string[];
    version: string;
    edition: string;
    /** $PSVersionTable.OS as the engine reports it. */
    os: string;
    /** Milliseconds from spawn to the engine's answer. */
    startMs: number;
  };
  tried: string[];
  problem?: string;
}

const PROBE =
  '$v=$PSVersionTable; [Console]::Out.WriteLine($v.PSVersion.ToString()); [Console]::Out.WriteLine($v.PSEdition); [Console]::Out.WriteLine($v.OS)';

/** Finds the engine and starts it once to confirm its version and edition; never throws for a missing engine. */
export async function diagnosePowerShell(): Promise<DoctorReport> {
  try {
    const found = await findPowerShell();
    const started = Date.now();
    const lines = await startOnce(found.path, found.args);
    const [version = '', edition = '', os = ''] = lines;
    return {
      ok: true,
      engine: { path: found.path, args: found.args, version, edition, os, startMs: Date.now() - started },
      tried: found.tried,
    };
  } catch (error) {
    if (!(error instanceof PowerShellError)) throw error;
    return { ok: false, tried: error.details.tried ?? [], problem: error.message };
  }
}

function startOnce(path: string, args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      [...args, '-Command', PROBE],
      { encoding: 'utf8', timeout: 60_000, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new PowerShellError(`${path} failed to start: ${stderr.trim() || error.message}`, { stderr }),
          );
          return;
        }
        resolve(
          stdout
            .trim()
            .split(/\r?\n/)
            .map((l) => l.trim()),
        );
      },
    );
  });
}

/** The report as lines for a terminal. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  if (report.engine) {
    const e = report.engine;
    lines.push(
      `PowerShell: ${e.edition} ${e.version}`,
      `path:       ${e.path}`,
      `arguments:  ${e.args.join(' ')}`,
    );
    lines.push(`os:         ${e.os}`, `start:      ${e.startMs} ms`);
  } else {
    lines.push(`PowerShell: none usable (${report.problem ?? 'unknown problem'})`);
  }
  lines.push('tried:');
  for (const t of report.tried) lines.push(`  - ${t}`);
  return lines;
}
