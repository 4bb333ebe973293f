/**
 * Why opening a remote session failed, from PowerShell's error and what the transport printed.
 * ssh reports on its own stderr (PowerShell only says "the SSH transport process has abruptly
 * terminated"); WinRM reports through PSRemotingTransportException (message and Win32 error code).
 */
import type { UnreachableReason } from '../core/unreachable.js';

/** What a failed open left behind. */
export interface OpenFailure {
  /** PowerShell's error message (the envelope's answer). */
  message?: string;
  fullyQualifiedErrorId?: string;
  /** PSRemotingTransportException.ErrorCode (WinRM: a Win32 or WSMan error code). */
  transportErrorCode?: number;
  /** stderr of the local PowerShell while opening: ssh writes its reasons there. */
  stderr?: string;
  /** psremedy gave up waiting. */
  timedOut?: boolean;
}

// Win32 codes WinRM passes through: access denied, logon failure, account locked/disabled/expired.
const AUTH_CODES = new Set([5, 1326, 1327, 1330, 1331, 1909, 1311]);

const PATTERNS: [UnreachableReason, RegExp][] = [
  ['noWsmanClient', /requires WSMan|no supported WSMan client|libpsrpclient|libmi\b/i],
  [
    'hostKeyMismatch',
    /host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed|server certificate on the destination computer|certificate.*(not trusted|revoked|expired|CN .* does not match)/i,
  ],
  [
    'authenticationFailed',
    /permission denied \(|authentication failed|access is denied|logon failure|user name or password is incorrect|too many authentication failures|kerberos|TrustedHosts/i,
  ],
  [
    'noRemotingEndpoint',
    /subsystem request failed|no such subsystem|WS-Management service cannot process the request.*(endpoint|configuration)/i,
  ],
  [
    'nameNotResolved',
    /could not resolve hostname|name or service not known|server name cannot be resolved|no such host is known|temporary failure in name resolution/i,
  ],
  [
    'connectionRefused',
    /connection refused|actively refused|cannot connect to the destination|WinRM cannot complete the operation/i,
  ],
  ['timedOut', /timed out|operation timed out|timeout expired/i],
];

/** Classifies a failed open; the first pattern that matches ssh's or PowerShell's words wins. */
export function classifyOpenFailure(failure: OpenFailure): UnreachableReason {
  const code = failure.transportErrorCode;
  if (code !== undefined && AUTH_CODES.has(code)) return 'authenticationFailed';
  // ssh speaks first and most precisely; PowerShell's own message is generic for every ssh failure.
  for (const text of [failure.stderr ?? '', failure.message ?? ''])
    for (const [reason, pattern] of PATTERNS) if (pattern.test(text)) return reason;
  if (failure.timedOut) return 'timedOut';
  return 'transportFailed';
}

/** The words worth showing from a failed open: ssh's lines, then PowerShell's message, trimmed. */
export function describeOpenFailure(failure: OpenFailure): string {
  const sshLines = (failure.stderr ?? '')
    .split(/\r?\n/)
    // ssh frames its host key warning in @ signs.
    .map((l) => l.replace(/^[@\s]+|[@\s]+$/g, ''))
    .filter((l) => l !== '');
  const parts = [...new Set([...sshLines.slice(-3), failure.message?.trim() ?? ''])].filter((p) => p !== '');
  const text = parts.join(' / ');
  return text.length > 600 ? `${text.slice(0, 599)}…` : text;
}
