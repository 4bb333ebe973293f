/**
 * Which PowerShell psremedy runs: PSREMEDY_POWERSHELL, then `pwsh`, then `powershell.exe` (Windows),
 * then psremedy's own host (pshost/, built on first use).
 */
import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { PowerShellError } from '../core/errors.js';
import { ensureHostBuilt, HOST_ENGINE_VERSION } from './build-host.js';
import { findOnPath, isExecutable } from './find-on-path.js';

export { findOnPath } from './find-on-path.js';

/** The engine psremedy will start, with the arguments every start needs. */
export interface FoundPowerShell {
  /** Absolute path of the executable. */
  path: string;
  /** Arguments to put before `-Command -`, `-Command <text>` or `-File <script>`. */
  args: string[];
  /** $PSVersionTable.PSVersion, e.g. `7.6.9` or `5.1.19041.4648`. */
  version: string;
  /** $PSVersionTable.PSEdition: `Core` or `Desktop`. */
  edition: string;
  /** What was looked at, in order, each with what was found (for messages and `doctor`). */
  tried: string[];
}

const BASE_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'];
const PROBE =
  '$v=$PSVersionTable; [Console]::Out.WriteLine($v.PSVersion.ToString()); [Console]::Out.WriteLine($v.PSEdition)';

let cached: Promise<FoundPowerShell> | undefined;

/** Finds (and on first use builds) the PowerShell to run; the answer is cached per process. */
export function findPowerShell(): Promise<FoundPowerShell> {
  cached ??= discover().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function discover(): Promise<FoundPowerShell> {
  const tried: string[] = [];
  const override = process.env.PSREMEDY_POWERSHELL;
  if (override) {
    const path = isAbsolute(override) ? override : findOnPath(override);
    if (!path || !isExecutable(path)) {
      tried.push(`PSREMEDY_POWERSHELL=${override}: not an executable file`);
      throw new PowerShellError(
        `PSREMEDY_POWERSHELL is set to '${override}', which is not an executable; fix or unset it`,
        { tried },
      );
    }
    tried.push(`PSREMEDY_POWERSHELL=${override}: ${path}`);
    return { ...(await probe(path, tried)), tried };
  }
  tried.push('PSREMEDY_POWERSHELL: not set');
  for (const name of pathCandidates()) {
    const path = findOnPath(name);
    if (!path) {
      tried.push(`${name}: not on PATH`);
      continue;
    }
    try {
      const found = await probe(path, tried);
      tried.push(`${name}: ${path}`);
      return { ...found, tried };
    } catch (error) {
      tried.push(`${name}: ${path} did not start (${(error as Error).message})`);
    }
  }
  const path = await ensureHostBuilt().catch((error: unknown) => {
    if (error instanceof PowerShellError) {
      throw new PowerShellError(
        error.message,
        { ...error.details, tried: [...tried, 'psremedy host: could not be built'] },
        { cause: error },
      );
    }
    throw error;
  });
  tried.push(`psremedy host: ${path}`);
  return { path, args: [...BASE_ARGS], version: HOST_ENGINE_VERSION, edition: 'Core', tried };
}

/** The PowerShell executables looked for on PATH, in order (README "On Windows" names them too). */
export function pathCandidates(platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'win32' ? ['pwsh.exe', 'powershell.exe'] : ['pwsh'];
}

/** Starts the executable once to read its version and edition. */
function probe(path: string, tried: string[]): Promise<Omit<FoundPowerShell, 'tried'>> {
  const args = path.toLowerCase().endsWith('powershell.exe')
    ? [...BASE_ARGS, '-InputFormat', 'Text', '-OutputFormat', 'Text']
    : [...BASE_ARGS];
  return new Promise((resolve, reject) => {
    execFile(
      path,
      [...args, '-Command', PROBE],
      { timeout: 60_000, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        const [version, edition] = stdout
          .trim()
          .split(/\r?\n/)
          .map((l) => l.trim());
        if (error || !version || !edition) {
          reject(
            new PowerShellError(
              `${path} did not report its version${stderr ? `: ${stderr.trim()}` : ''}`,
              { tried, stderr },
              { cause: error },
            ),
          );
          return;
        }
        resolve({ path, args, version, edition });
      },
    );
  });
}

/** Forgets the cached answer (tests that change PATH or PSREMEDY_POWERSHELL). */
export function resetPowerShellCache(): void {
  cached = undefined;
}
