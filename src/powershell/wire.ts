/**
 * The text that crosses stdin/stdout: every command is one line of ASCII (base64 arguments in single
 * quotes, never interpolated), and every answer is one marked line of base64 JSON.
 */

const ANSWER_PREFIX = '@@psremedy:';
const BEGIN_PREFIX = '@@psremedy-begin:';

/** An error as the envelope reports it (PowerShell's own words and position). */
export interface WireError {
  message?: string;
  type?: string;
  category?: string;
  fullyQualifiedErrorId?: string;
  scriptStackTrace?: string;
  line?: number | null;
  thrownObject?: unknown;
}

/** The JSON object one answer line carries. */
export interface WireAnswer {
  ok: boolean;
  result?: unknown;
  output?: unknown[] | null;
  error?: WireError | null;
  warnings?: string[];
  verbose?: string[];
  information?: string[];
  errors?: string[];
  durationMs?: number;
  timedOut?: boolean;
  stopConfirmed?: boolean;
  connectionLost?: boolean;
  /** Open-PsRemedyTarget: PSRemotingTransportException.ErrorCode, when the open failed with one. */
  transportErrorCode?: number | null;
  /** A -WhatIf request for a script without SupportsShouldProcess: refused, the script never ran. */
  noPreview?: boolean;
}

/** What one invocation printed on stdout, split into the answer, host output and the rest. */
export interface ParsedStdout {
  answer?: WireAnswer;
  /** Lines printed between the envelope's begin marker and its answer (host UI, e.g. "What if:"). */
  hostLines: string[];
  /** Everything else, for --verbose. */
  noise: string[];
}

/**
 * JSON for PowerShell, with every string prefixed by `~` so that neither PowerShell 7's nor 5.1's
 * ConvertFrom-Json can mistake one for a date; the envelope strips the prefix.
 */
export function encodeWireJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? `~${v}` : v));
  return Buffer.from(json ?? 'null', 'utf8').toString('base64');
}

/** One command line: a global envelope function called with base64 (or plain digit) arguments. */
export function buildCommandLine(functionName: string, ...args: (string | number)[]): string {
  const quoted = args.map((a) => {
    const text = String(a);
    if (!/^[A-Za-z0-9+/=_.-]*$/.test(text))
      throw new TypeError(`not a wire-safe argument: ${text.slice(0, 20)}`);
    return `'${text}'`;
  });
  return [functionName, ...quoted].join(' ');
}

/** The argument that tells the envelope to read a payload from a file (and delete it). */
export function buildPayloadFileArgument(path: string): string {
  return `file.${Buffer.from(path, 'utf8').toString('base64')}`;
}

/** The one line that defines the envelope's functions in a fresh process. */
export function buildEnvelopeLine(envelopeSource: string): string {
  const b64 = Buffer.from(envelopeSource, 'utf8').toString('base64');
  return `$global:PsRemedyEnvelopeSource = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${b64}')); . ([ScriptBlock]::Create($global:PsRemedyEnvelopeSource))`;
}

/** The one line that dot-sources (.ps1) or imports (.psm1) startup scripts at global scope. */
export function buildStartupLine(id: string, paths: string[]): string {
  const b64 = encodeWireJson(paths);
  return (
    `try { foreach ($PsRemedyStartupPath in (Get-PsRemedyStartupPath '${b64}')) { ` +
    `if ($PsRemedyStartupPath -like '*.psm1') { Import-Module -Name $PsRemedyStartupPath -Global -ErrorAction Stop } ` +
    `else { $null = . $PsRemedyStartupPath } }; Get-PsRemedyHello '${id}' } ` +
    `catch { Write-PsRemedyFailure '${id}' $_ $false }`
  );
}

/** Splits an invocation's stdout into the answer for `id`, host output and noise. */
export function parseStdout(stdout: string, id: string): ParsedStdout {
  const parsed: ParsedStdout = { hostLines: [], noise: [] };
  let inRequest = false;
  for (const rawLine of stdout.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    if (line === `${BEGIN_PREFIX}${id}`) {
      inRequest = true;
    } else if (line.startsWith(`${ANSWER_PREFIX}${id}:`) && parsed.answer === undefined) {
      parsed.answer = decodeAnswer(line.slice(ANSWER_PREFIX.length + id.length + 1));
      inRequest = false;
    } else if (inRequest) {
      parsed.hostLines.push(rawLine);
    } else if (line !== '') {
      parsed.noise.push(rawLine);
    }
  }
  return parsed;
}

function decodeAnswer(b64: string): WireAnswer | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    if (typeof value === 'object' && value !== null && typeof (value as WireAnswer).ok === 'boolean') {
      return value as WireAnswer;
    }
  } catch {
    // A damaged answer line is treated as no answer; the caller reports it with the raw output.
  }
  return undefined;
}
