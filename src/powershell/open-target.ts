/** Opening the remote side of a session: one Open-PsRemedyTarget line, bounded by the connect timeout. */
import type { OpenFailure } from './classify-unreachable.js';
import type { PowerShellProcess } from './powershell-process.js';
import { raceTimeout } from './race-timeout.js';
import type { TargetSpec } from './types.js';
import { buildCommandLine, encodeWireJson, parseStdout } from './wire.js';

/** How long opening a remote session may take unless the options say otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** What sending the open needs from its session. */
export interface OpenTargetHooks {
  id: string;
  limitMs: number;
  /** Kills the process (a timeout, or it died): the next request gets a new one. */
  discard(why: string): Promise<void>;
  /** PowerShell's noise, for --verbose. */
  report(text: string): void;
}

/** Sends Open-PsRemedyTarget within the limit: undefined once open, else what went wrong. */
export async function sendOpenTarget(
  process: PowerShellProcess,
  target: TargetSpec,
  hooks: OpenTargetHooks,
): Promise<OpenFailure | undefined> {
  const { id, limitMs } = hooks;
  const line = buildCommandLine('Open-PsRemedyTarget', id, encodeWireJson(withOpenLimits(target, limitMs)));
  const sending = process.sendLine(line);
  const result = await raceTimeout(sending, limitMs);
  if (result === 'timeout') {
    await hooks.discard(`opening the session took longer than ${limitMs} ms`);
    const late = await sending;
    return {
      timedOut: true,
      message: `no answer within the connect timeout of ${limitMs} ms`,
      stderr: late.stderr,
    };
  }
  if (result.exit) {
    await hooks.discard('exited while opening the session');
    return {
      message: `PowerShell exited with code ${result.exit.code} while opening the session`,
      stderr: result.exit.stderrTail,
    };
  }
  const parsed = parseStdout(result.stdout, id);
  hooks.report([...parsed.noise, result.stderr].join('\n'));
  const answer = parsed.answer;
  if (answer?.ok) return undefined;
  return {
    message: answer?.error?.message ?? 'PowerShell gave no answer when opening the session',
    ...(answer?.error?.fullyQualifiedErrorId
      ? { fullyQualifiedErrorId: answer.error.fullyQualifiedErrorId }
      : {}),
    ...(typeof answer?.transportErrorCode === 'number'
      ? { transportErrorCode: answer.transportErrorCode }
      : {}),
    // PowerShell's SSH client passes on what ssh wrote to its stderr; it can land on either stream.
    stderr: [result.stderr, ...parsed.noise].join('\n'),
  };
}

/**
 * The target as Open-PsRemedyTarget gets it: ssh never prompts (psremedy has no terminal to lend it)
 * and gives up connecting a little before psremedy does, so its own reason arrives; WinRM gets the
 * connect timeout as its OpenTimeout.
 */
function withOpenLimits(target: TargetSpec, limitMs: number): unknown {
  if (target.kind === 'local') return target;
  if (target.kind === 'winrm') return { ...target, openTimeoutMs: limitMs };
  const seconds = Math.max(1, Math.floor(limitMs / 1000) - 2);
  return {
    ...target,
    sshOptions: { BatchMode: 'yes', ConnectTimeout: String(seconds), ...target.sshOptions },
  };
}
