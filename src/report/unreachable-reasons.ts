/** What an unreachable target means to a person: the reason in words, and what to do about it. */
import type { UnreachableReason } from '../core/unreachable.js';

const REASONS: Record<UnreachableReason, { why: string; next: string }> = {
  noWsmanClient: {
    why: 'this machine has no WSMan client, so it cannot use WinRM (PowerShell on Linux or macOS)',
    next: 'run psremedy on Windows, or reach the server over SSH (--transport ssh)',
  },
  nameNotResolved: {
    why: 'its name does not resolve on this machine',
    next: 'check the name, or give its address',
  },
  connectionRefused: {
    why: 'the connection was refused: WinRM or sshd is not running there, or the port is closed',
    next: 'start WinRM (Enable-PSRemoting) or sshd on the server, or give the right --port',
  },
  timedOut: {
    why: 'no answer within the connect timeout: the host is down, a firewall drops the port, or the service hangs',
    next: 'check that the server is up and its management port open; --connect-timeout waits longer',
  },
  authenticationFailed: {
    why: 'it refused the credential or key',
    next: 'check --user and --key-file (SSH) or PSREMEDY_CREDENTIAL_FILE / _USER and _PASSWORD (WinRM)',
  },
  hostKeyMismatch: {
    why: 'its identity did not verify (an SSH host key that changed or is unknown, or an untrusted WinRM certificate)',
    next: "confirm the server's key with its owner, then add it to known_hosts (connect once with ssh; ssh-keygen -R <host> drops a changed one), or trust the WinRM certificate",
  },
  noRemotingEndpoint: {
    why: 'it answers but offers no PowerShell remoting',
    next: 'add "Subsystem powershell <path to pwsh> -sshs" to its sshd_config, or run Enable-PSRemoting',
  },
  connectionLost: {
    why: 'the connection kept dropping during the run',
    next: 'check the server and its network; once it is back, psremedy rollback <runId> undoes what was left',
  },
  transportFailed: {
    why: 'opening the PowerShell session failed',
    next: "read PowerShell's words below; --verbose shows everything it printed",
  },
};

/** The reason in words. */
export function describeReason(reason: UnreachableReason): string {
  return REASONS[reason].why;
}

/** What to do about it, in words. */
export function describeNextStep(reason: UnreachableReason): string {
  return REASONS[reason].next;
}
