/**
 * The parse service of psremedy's host (`pshost -Parse file...`): PowerShell's own parser reports
 * each script's syntax errors and its uses of syntax that Windows PowerShell 5.1 lacks.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { PowerShellError } from '../core/errors.js';
import { ensureHostBuilt } from './build-host.js';

/** One parser error or PowerShell-7-only construct, at a 1-based line and column. */
export interface ScriptFinding {
  line: number;
  col: number;
  /** The parser's ErrorId (e.g. `MissingEndCurlyBrace`), or the construct (e.g. `ternary`). */
  id: string;
  message: string;
}

/**
 * Whether a script declares `[CmdletBinding(SupportsShouldProcess)]`, at the attribute (`where`:
 * `cmdletBinding`), else at the param block (`param`), else at line 1 (`script`: no param block).
 */
export interface ShouldProcessDeclaration {
  declared: boolean;
  line: number;
  col: number;
  where: 'cmdletBinding' | 'param' | 'script';
  message: string;
}

/** One parameter of a script's top-level `param()` block. */
export interface ScriptParameter {
  name: string;
  aliases: string[];
  /** The .NET type it is declared as (`System.Int32`), `System.Object` when untyped. */
  type: string;
  mandatory: boolean;
  hasDefault: boolean;
  validateSet: string[] | null;
}

/** What the parser found in one file. */
export interface ScriptParseReport {
  /** The path as given. */
  path: string;
  errors: ScriptFinding[];
  /** Ternary, `??`, `??=`, `&&`/`||`, `ForEach-Object -Parallel`, `clean {}`, `ConvertFrom-Json -AsHashtable`. */
  ps7Only: ScriptFinding[];
  /** Null when the file could not be read. */
  shouldProcess: ShouldProcessDeclaration | null;
  /** Where it loads code from a file: `. path`, `& path.ps1`, `Import-Module path`, `using module path`. */
  fileLoads: ScriptFinding[];
  /** The `param()` block; null when the script has none. `isAdvanced`: [CmdletBinding()] or [Parameter()]. */
  parameters: { isAdvanced: boolean; parameters: ScriptParameter[] } | null;
}

const FILES_PER_CALL = 200;

/** Parses the given .ps1/.psm1 files (building the host if needed); one report per file, in order. */
export async function parseScripts(files: string[]): Promise<ScriptParseReport[]> {
  if (files.length === 0) return [];
  const host = await ensureHostBuilt();
  const reports: ScriptParseReport[] = [];
  for (let i = 0; i < files.length; i += FILES_PER_CALL) {
    const chunk = files.slice(i, i + FILES_PER_CALL);
    const parsed = await runParse(
      host,
      chunk.map((f) => resolve(f)),
    );
    parsed.forEach((report, j) => {
      reports.push({ ...report, fileLoads: report.fileLoads ?? [], path: chunk[j] ?? report.path });
    });
  }
  return reports;
}

function runParse(host: string, files: string[]): Promise<ScriptParseReport[]> {
  return new Promise((done, fail) => {
    execFile(
      host,
      ['-Parse', ...files],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          const parsed = JSON.parse(stdout) as { files: ScriptParseReport[] };
          done(parsed.files);
        } catch {
          fail(
            new PowerShellError(
              `the parse service (${host} -Parse) gave no report${stderr ? `: ${stderr.trim()}` : ''}`,
              {
                exitCode: typeof error?.code === 'number' ? error.code : null,
                stderr,
              },
            ),
          );
        }
      },
    );
  });
}

/** Formats a finding as `file:line:col: id: message`, the shape editors link to. */
export function formatFinding(path: string, finding: ScriptFinding): string {
  return `${path}:${finding.line}:${finding.col}: ${finding.id}: ${finding.message}`;
}
