import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PowerShell } from 'node-powershell';
import { PowerShellError } from '../core/errors.js';
import { killProcessTree } from './kill-process-tree.js';

/** Which PowerShell to start (what findPowerShell() answers). */
export interface PowerShellExecutable {
  path: string;
  /** Arguments before `-Command` (findPowerShell() puts -NoLogo -NoProfile ... here). */
  args?: string[];
  version?: string;
  edition?: string;
  /** What discovery tried, for the message when nothing works. */
  tried?: string[];
}

/** How a PowerShell process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last few KB the process wrote to stderr. */
  stderrTail: string;
}

/** What one line produced: stdout and stderr between node-powershell's delimiters, or the exit. */
export interface LineResult {
  stdout: string;
  stderr: string;
  exit?: ProcessExit;
}

const TAIL_CHARS = 8192;

/** The parts of node-powershell 5.0.1 we reach past its typings; pinned in package.json. */
interface ShellInternals {
  process: ChildProcess;
  exitPromise: Promise<void>;
  debuggers: Record<'comment' | 'command' | 'output', { enabled: boolean }>;
}

interface SpawnArgv {
  argv: string[];
  executable: string;
}

/**
 * node-powershell with an argv of our choosing (it forces -NoLogo first and honours NODE_POWERSHELL),
 * and with its framing folded into ONE executed line: PowerShell's console host spends about 0.5 ms
 * on every line it executes but nothing on an empty one, so the delimiters node-powershell waits for
 * are printed by the same line as the request, and its other four lines are left empty.
 */
class PsRemedyShell extends PowerShell {
  pendingLine = '';
  private openDelimiter: string | undefined;

  protected override setExecutable(options: { executable?: string }): string {
    return options.executable ?? '';
  }

  protected override writeToError(): string {
    return '';
  }

  protected override writeToOutput(delimiter: string): string {
    if (this.openDelimiter === delimiter) {
      this.openDelimiter = undefined;
      return '';
    }
    this.openDelimiter = delimiter;
    const mark = `[Console]::Error.WriteLine('${delimiter}'); [Console]::Out.WriteLine('${delimiter}')`;
    return `${mark}; try { ${this.pendingLine} } finally { ${mark} }`;
  }
}
Object.defineProperty(PsRemedyShell.prototype, 'setExecutableOptions', {
  value: (options: Partial<SpawnArgv>) => options.argv ?? [],
});

/**
 * One PowerShell process driven through node-powershell: it owns the spawn and the one-at-a-time
 * queue; this class owns what node-powershell gets wrong (exit detection, stderr, history, kill).
 */
export class PowerShellProcess {
  readonly pid: number;
  private readonly shell: PsRemedyShell;
  private readonly child: ChildProcess;
  private exitInfo: ProcessExit | undefined;
  private readonly closed: Promise<void>;
  private stderrTail = '';

  private constructor(
    executable: PowerShellExecutable,
    env: Record<string, string | undefined>,
    private readonly onDiagnostics: (text: string) => void,
  ) {
    const argv = buildPowerShellArgs(executable);
    this.shell = new PsRemedyShell({
      executable: executable.path,
      argv,
      // Without PGO instrumentation, .NET reaches its fast code in about 1,000 steps instead of
      // about 4,000: every request line makes PowerShell compile new code (measured on pshost).
      spawnOptions: {
        env: withoutCredentials({
          DOTNET_TieredPGO: '0',
          ...process.env,
          POWERSHELL_TELEMETRY_OPTOUT: '1',
          ...env,
        }),
      },
      throwOnInvocationError: false,
    } as ConstructorParameters<typeof PowerShell>[0] & SpawnArgv);
    const internals = this.shell as unknown as ShellInternals;
    for (const debug of Object.values(internals.debuggers)) debug.enabled = false;
    // node-powershell rejects this promise when the process fails; unobserved, that crashes Node.
    internals.exitPromise.catch(() => undefined);
    this.child = internals.process;
    this.pid = this.child.pid ?? -1;
    // A write to a dead process's stdin fails with EPIPE; node-powershell listens only once.
    this.child.stdin?.on('error', () => undefined);
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-TAIL_CHARS);
    });
    this.closed = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitInfo ??= { code: null, signal: null, stderrTail: error.message };
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal, stderrTail: '' };
        this.child.stdout?.resume();
        this.child.stderr?.resume();
      });
      this.child.once('close', () => resolve());
    });
  }

  /** Starts PowerShell after checking that the executable exists (node-powershell crashes Node otherwise). */
  static start(
    executable: PowerShellExecutable,
    env: Record<string, string | undefined>,
    onDiagnostics: (text: string) => void,
  ): PowerShellProcess {
    const tried = executable.tried ?? [executable.path];
    if (!isExecutable(executable.path, env.PATH ?? process.env.PATH ?? '')) {
      throw new PowerShellError(
        `PowerShell not found: ${executable.path} does not exist or is not executable. Tried: ${tried.join(', ')}. ` +
          'Install PowerShell 7 (pwsh) or set PSREMEDY_POWERSHELL to its path.',
        { tried },
      );
    }
    return new PowerShellProcess(executable, env, onDiagnostics);
  }

  /** True once the process has exited (or failed to start). */
  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Sends one line and waits for node-powershell's delimiters, or for the process to end. */
  async sendLine(line: string): Promise<LineResult> {
    if (this.exitInfo) return { stdout: '', stderr: '', exit: await this.readExit() };
    let stdout = '';
    let stderr = '';
    try {
      this.shell.pendingLine = line;
      const record = await this.shell.invoke('');
      stdout = record.stdout?.toString('utf8') ?? '';
      stderr = record.stderr?.toString('utf8') ?? '';
    } catch (error) {
      this.onDiagnostics(`PowerShell process ${this.pid}: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      // node-powershell keeps every command and its output forever.
      this.shell.history.length = 0;
      this.shell.pendingLine = '';
    }
    if (this.exitInfo) return { stdout, stderr, exit: await this.readExit() };
    return { stdout, stderr };
  }

  /** Kills the process and everything it started, and waits until it is gone. */
  async kill(): Promise<void> {
    if (!this.exitInfo) await killProcessTree(this.pid);
    await Promise.race([this.closed, delay(2000)]);
  }

  private async readExit(): Promise<ProcessExit> {
    await Promise.race([this.closed, delay(1000)]);
    const exit = this.exitInfo ?? { code: null, signal: null, stderrTail: '' };
    // node-powershell's delimiter lines are framing, not something the process said.
    const said = (exit.stderrTail || this.stderrTail).replace(/^[0-9A-Za-z]{16}\r?$\n?/gm, '');
    return { ...exit, stderrTail: said };
  }
}

/**
 * The full argv: the executable's own args (findPowerShell() already puts the base flags there),
 * each required flag added once if missing, then `-NoExit -Command -` for node-powershell.
 */
export function buildPowerShellArgs(executable: PowerShellExecutable): string[] {
  const args = [...(executable.args ?? [])];
  const has = (flag: string) => args.some((a) => a.toLowerCase() === flag.toLowerCase());
  const required: [string, ...string[]][] = [
    ['-NoLogo'],
    ['-NoProfile'],
    ['-NonInteractive'],
    ['-ExecutionPolicy', 'Bypass'],
  ];
  if (isWindowsPowerShell(executable)) required.push(['-InputFormat', 'Text'], ['-OutputFormat', 'Text']);
  for (const [flag, ...value] of required) if (!has(flag)) args.push(flag, ...value);
  return [...args, '-NoExit', '-Command', '-'];
}

/** True for Windows PowerShell 5.1 (powershell.exe, edition Desktop). */
export function isWindowsPowerShell(executable: PowerShellExecutable): boolean {
  return executable.edition === 'Desktop' || /(^|[\\/])powershell(\.exe)?$/i.test(executable.path);
}

function isExecutable(path: string, searchPath: string): boolean {
  const candidates =
    isAbsolute(path) || path.includes('/') || path.includes('\\')
      ? [path]
      : searchPath.split(delimiter).flatMap((dir) => {
          const base = join(dir, path);
          return process.platform === 'win32' ? [base, `${base}.exe`, `${base}.cmd`] : [base];
        });
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The environment variables psremedy reads its WinRM credential from (read-credential.ts). */
export const CREDENTIAL_VARIABLES = [
  'PSREMEDY_CREDENTIAL_USER',
  'PSREMEDY_CREDENTIAL_PASSWORD',
  'PSREMEDY_CREDENTIAL_FILE',
];

/**
 * A child's environment without the credential variables: psremedy turns them into a credential
 * object itself, so no PowerShell (and no step script, client or target) ever sees them.
 */
export function withoutCredentials(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const copy = { ...env };
  for (const name of Object.keys(copy))
    if (CREDENTIAL_VARIABLES.includes(name.toUpperCase())) delete copy[name];
  return copy;
}
