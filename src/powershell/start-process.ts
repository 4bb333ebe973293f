import { PowerShellError } from '../core/errors.js';
import { readEnvelopeSource } from './envelope-source.js';
import type { PowerShellExecutable } from './powershell-process.js';
import { isWindowsPowerShell, type LineResult, PowerShellProcess } from './powershell-process.js';
import { buildCommandLine, buildEnvelopeLine, buildStartupLine, parseStdout } from './wire.js';

/** What a new process needs besides the executable. */
export interface StartOptions {
  env: Record<string, string | undefined>;
  startupScripts: string[];
  startupTimeoutMs: number;
  onDiagnostics: (text: string) => void;
}

/**
 * Starts PowerShell, defines the envelope, loads the startup scripts and waits for a hello; a
 * PowerShell that is missing, exits or never answers becomes a PowerShellError naming what was tried.
 */
export async function startPowerShellProcess(
  executable: PowerShellExecutable,
  options: StartOptions,
): Promise<PowerShellProcess> {
  const process = PowerShellProcess.start(executable, options.env, options.onDiagnostics);
  const deadline = Date.now() + options.startupTimeoutMs;
  try {
    if (isWindowsPowerShell(executable)) {
      await expectAlive(
        process,
        '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
        executable,
        deadline,
      );
    }
    await expectAlive(process, buildEnvelopeLine(readEnvelopeSource()), executable, deadline);
    const line =
      options.startupScripts.length > 0
        ? buildStartupLine('0', options.startupScripts)
        : buildCommandLine('Get-PsRemedyHello', '0');
    const result = await expectAlive(process, line, executable, deadline);
    const parsed = parseStdout(result.stdout, '0');
    const noise = [...parsed.noise, result.stderr].filter((t) => t.trim() !== '').join('\n');
    if (noise) options.onDiagnostics(noise);
    if (!parsed.answer) {
      throw startError(
        executable,
        'started but did not answer the protocol',
        `${result.stdout}\n${result.stderr}`,
      );
    }
    if (!parsed.answer.ok) {
      const message = parsed.answer.error?.message ?? 'unknown error';
      throw new PowerShellError(
        `A startup script failed in PowerShell (${executable.path}): ${message}. Startup scripts: ${options.startupScripts.join(', ')}.`,
        { stderr: result.stderr },
      );
    }
    return process;
  } catch (error) {
    await process.kill();
    throw error;
  }
}

async function expectAlive(
  process: PowerShellProcess,
  line: string,
  executable: PowerShellExecutable,
  deadline: number,
): Promise<LineResult> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
  });
  const result = await Promise.race([process.sendLine(line), expired]).finally(() => clearTimeout(timer));
  if (result === 'timeout') throw startError(executable, 'did not answer within the start-up timeout', '');
  if (result.exit) {
    const how = result.exit.signal
      ? `was killed by ${result.exit.signal}`
      : `exited with code ${result.exit.code}`;
    throw startError(executable, `${how} at start-up`, result.exit.stderrTail, result.exit.code);
  }
  return result;
}

function startError(
  executable: PowerShellExecutable,
  what: string,
  output: string,
  exitCode?: number | null,
) {
  const tried = executable.tried ?? [executable.path];
  const excerpt = output.trim().slice(-600);
  return new PowerShellError(
    `PowerShell (${[executable.path, ...(executable.args ?? [])].join(' ')}) ${what}${excerpt ? `: ${excerpt}` : ''}. ` +
      `Tried: ${tried.join(', ')}. Check the installation, or set PSREMEDY_POWERSHELL to a working pwsh.`,
    { tried, exitCode: exitCode ?? null, stderr: output },
  );
}
