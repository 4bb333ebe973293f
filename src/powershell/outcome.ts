import type { TargetUnreachable } from '../core/unreachable.js';
import { APPROVED_SCRIPT_NAME } from './envelope-source.js';
import type { ProcessExit } from './powershell-process.js';
import type { ScriptError, ScriptOutcome, ScriptRequest } from './types.js';
import type { ParsedStdout, WireError } from './wire.js';

/** What else a mapping needs besides the envelope's answer. */
export interface OutcomeContext {
  request: ScriptRequest;
  elapsedMs: number;
  stderr: string;
  sessionReset: boolean;
}

/** Maps the envelope's answer (or its absence) to the one ScriptOutcome shape. */
export function buildOutcome(parsed: ParsedStdout, context: OutcomeContext): ScriptOutcome {
  const { answer } = parsed;
  const whatIfLines = context.request.whatIf ? parsed.hostLines : [];
  const hostNoise = context.request.whatIf ? [] : parsed.hostLines;
  const diagnostics = joinDiagnostics([...parsed.noise, ...hostNoise], context.stderr);
  if (!answer) {
    return {
      ...emptyOutcome('failed', context.elapsedMs, context.sessionReset, diagnostics),
      error: {
        message: `PowerShell gave no answer for ${describeScript(context.request)}; its output is in the diagnostics.`,
        type: 'PsRemedy.NoAnswer',
      },
    };
  }
  if (answer.timedOut) {
    return {
      ...timedOutOutcome(context.request, context.elapsedMs, context.sessionReset),
      diagnostics,
    };
  }
  const outcome: ScriptOutcome = {
    status: answer.connectionLost ? 'connectionLost' : answer.ok ? 'ok' : 'failed',
    result: answer.result ?? null,
    warnings: answer.warnings ?? [],
    verbose: answer.verbose ?? [],
    information: answer.information ?? [],
    durationMs: answer.durationMs ?? context.elapsedMs,
    sessionReset: context.sessionReset,
    diagnostics,
  };
  if (answer.error) outcome.error = toScriptError(answer.error, context.request);
  if (answer.output && answer.output.length > 1) outcome.output = answer.output;
  if (answer.errors && answer.errors.length > 0) outcome.nonTerminatingErrors = answer.errors;
  if (context.request.whatIf) outcome.whatIf = whatIfLines.map((l) => l.trimEnd()).filter((l) => l !== '');
  if (context.request.whatIf && answer.noPreview) outcome.noPreview = true;
  return outcome;
}

/** The outcome of a request that ran past its timeout. */
export function timedOutOutcome(
  request: ScriptRequest,
  elapsedMs: number,
  sessionReset: boolean,
): ScriptOutcome {
  return {
    ...emptyOutcome('timedOut', elapsedMs, sessionReset, ''),
    error: {
      message: `${describeScript(request)} ran longer than its timeout of ${request.timeoutMs} ms and was stopped.`,
      type: 'PsRemedy.Timeout',
    },
  };
}

/** The outcome of a request whose PowerShell process died under it. */
export function crashedOutcome(request: ScriptRequest, elapsedMs: number, exit: ProcessExit): ScriptOutcome {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const stderr = exit.stderrTail.trim();
  return {
    ...emptyOutcome('failed', elapsedMs, true, stderr),
    error: {
      message: `PowerShell ${how} while running ${describeScript(request)}${stderr ? `: ${lastLine(stderr)}` : ''}. A new session serves the next step.`,
      type: 'PsRemedy.SessionCrashed',
    },
  };
}

/** The outcome of a request whose target's session could not be opened (or reopened). */
export function unreachableOutcome(unreachable: TargetUnreachable, diagnostics = ''): ScriptOutcome {
  return {
    ...emptyOutcome('unreachable', 0, true, diagnostics),
    error: {
      message: `Could not reach ${unreachable.target} (${unreachable.reason}): ${unreachable.detail}`,
      type: 'PsRemedy.TargetUnreachable',
    },
    unreachable,
  };
}

/** The outcome of a remote request whose connection dropped while it ran. */
export function connectionLostOutcome(
  elapsedMs: number,
  message: string,
  diagnostics: string,
): ScriptOutcome {
  return {
    ...emptyOutcome('connectionLost', elapsedMs, true, diagnostics),
    error: { message, type: 'PsRemedy.ConnectionLost' },
  };
}

/** Names a request's script for messages. */
export function describeScript(request: ScriptRequest): string {
  return request.scriptPath ?? 'the script';
}

function toScriptError(error: WireError, request: ScriptRequest): ScriptError {
  const mapped: ScriptError = { message: error.message ?? 'PowerShell reported an error without a message.' };
  if (error.type) mapped.type = error.type;
  if (error.category) mapped.category = error.category;
  if (error.fullyQualifiedErrorId) mapped.fullyQualifiedErrorId = error.fullyQualifiedErrorId;
  // The script's frames carry the approved-text name; read them as the unnamed frames they are.
  const stack = trimEnvelopeFrames(
    (error.scriptStackTrace ?? '').replaceAll(APPROVED_SCRIPT_NAME, '<No file>'),
  );
  if (stack) mapped.scriptStackTrace = stack;
  const line = findErrorLine(error, stack);
  if (line !== undefined) mapped.line = line;
  if (error.thrownObject !== undefined && error.thrownObject !== null)
    mapped.thrownObject = error.thrownObject;
  if (request.scriptPath && mapped.scriptStackTrace) {
    // Named only now: findErrorLine reads the script's frames by their `<No file>` marker.
    mapped.scriptStackTrace = mapped.scriptStackTrace.replaceAll('<No file>', request.scriptPath);
  }
  return mapped;
}

/**
 * The line in the script: the parser's position for a parse error, else the script's own top
 * frame (Write-Error's InvocationInfo names the caller, here the envelope, so it cannot be used).
 */
function findErrorLine(error: WireError, stack: string): number | undefined {
  if (error.type === 'System.Management.Automation.ParseException') {
    return typeof error.line === 'number' && error.line > 0 ? error.line : undefined;
  }
  const frame = /<No file>: line (\d+)/.exec(stack);
  return frame ? Number(frame[1]) : undefined;
}

/** The script's own frames: the envelope's (and the console line's) are cut off. */
function trimEnvelopeFrames(stack: string): string {
  const lines = stack.split(/\r?\n/);
  const envelope = lines.findIndex((l) => /PsRemedy/.test(l));
  return (envelope === -1 ? lines : lines.slice(0, envelope)).join('\n').trim();
}

function emptyOutcome(
  status: ScriptOutcome['status'],
  elapsedMs: number,
  sessionReset: boolean,
  diagnostics: string,
): ScriptOutcome {
  return {
    status,
    result: null,
    warnings: [],
    verbose: [],
    information: [],
    durationMs: elapsedMs,
    sessionReset,
    diagnostics,
  };
}

function joinDiagnostics(lines: string[], stderr: string): string {
  const parts = [...lines];
  if (stderr.trim() !== '') parts.push(stderr.trimEnd());
  return parts.join('\n');
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
