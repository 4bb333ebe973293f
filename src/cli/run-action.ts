import { ApprovalError, CancelledError, PlaybookError, PowerShellError, UsageError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';

/** Where a command writes: injectable so tests can capture it. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Formats one playbook problem as `file:line:col: path: message (hint)`. */
export function formatProblem(p: {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  hint?: string;
  severity?: string;
}): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  const path = p.path ? ` ${p.path}:` : '';
  const sev = p.severity === 'warning' ? ' warning:' : '';
  return `${where}:${sev}${path} ${p.message}${p.hint ? `\n    ${p.hint}` : ''}`;
}

/**
 * Runs a command body and turns what it returns or throws into an exit code and words.
 * Stack traces only with --verbose (PSREMEDY_VERBOSE=1 is set by the global flag).
 */
export async function runAction(
  body: () => Promise<ExitCode | number | undefined>,
  io: Io = processIo,
): Promise<void> {
  let code: number;
  try {
    code = (await body()) ?? EXIT.ok;
  } catch (error) {
    code = reportError(error, io);
  }
  process.exitCode = code;
}

/** Maps an error to an exit code, writing what happened and what to do next. */
export function reportError(error: unknown, io: Io): number {
  const verbose = process.env.PSREMEDY_VERBOSE === '1';
  if (error instanceof PlaybookError) {
    for (const p of error.problems) io.err(formatProblem(p));
    return EXIT.badInput;
  }
  if (error instanceof UsageError) {
    io.err(`error: ${error.message}`);
    return EXIT.badInput;
  }
  if (error instanceof ApprovalError) {
    io.err(`refused (${error.reason}): ${error.message}`);
    return EXIT.refusedByPolicy;
  }
  if (error instanceof CancelledError) {
    io.err(`cancelled: ${error.message}`);
    return EXIT.interrupted;
  }
  if (error instanceof PowerShellError) {
    io.err(`error: ${error.message}`);
    if (error.details.tried?.length) io.err(`  tried: ${error.details.tried.join(', ')}`);
    if (verbose && error.stack) io.err(error.stack);
    return EXIT.problemsRemain;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`internal error: ${message}`);
  if (verbose && error instanceof Error && error.stack) io.err(error.stack);
  else io.err('  run again with --verbose for the stack trace');
  return EXIT.problemsRemain;
}
