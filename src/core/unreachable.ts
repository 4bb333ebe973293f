/** Why a target could not be reached for management; the journal, events and reports use these words. */
export const UNREACHABLE_REASONS = [
  /** This machine's PowerShell has no WSMan client (PowerShell on Linux or macOS): WinRM cannot be used from here. */
  'noWsmanClient',
  /** The target's name does not resolve on this machine. */
  'nameNotResolved',
  /** Nothing accepts connections on the management port (sshd or WinRM stopped, or the port closed). */
  'connectionRefused',
  /** No answer within the connect timeout (host down, a firewall dropping packets, or a hung server). */
  'timedOut',
  /** The target refused the credential or the key. */
  'authenticationFailed',
  /** The target's identity did not verify: an SSH host key that changed or is unknown, an untrusted WinRM certificate. */
  'hostKeyMismatch',
  /** The target answers but offers no PowerShell remoting (sshd without `Subsystem powershell`). */
  'noRemotingEndpoint',
  /** The connection dropped during the run and reconnecting was given up after a bounded number of tries. */
  'connectionLost',
  /** Any other failure to open the session; the detail has PowerShell's and the transport's words. */
  'transportFailed',
] as const;

/** One of {@link UNREACHABLE_REASONS}. */
export type UnreachableReason = (typeof UNREACHABLE_REASONS)[number];

/** A target that could not be reached for management: where, why, in whose words, after how long. */
export interface TargetUnreachable {
  /** The target as psremedy names it (`ssh://root@srv01:22`, `winrm://srv01`); never a credential. */
  target: string;
  reason: UnreachableReason;
  /** What PowerShell and the transport (ssh, WinRM) said, trimmed. */
  detail: string;
  /** How long the attempt took before giving up. */
  waitedMs: number;
}
