/** What an unreachable target means to a person: the reason in words, and what to do about it. */
import type { UnreachableReason } from '../core/unreachable.js';
import type { SummaryEvent, TargetUnreachableEvent } from '../engine/events.js';
import type { RankedCause } from '../engine/journal-records.js';
import type { Colors } from './colors.js';

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

/** The moment the target turns out unreachable: what, why, and that the client's checks go on. */
export function formatTargetUnreachable(e: TargetUnreachableEvent, c: Colors): string[] {
  const where = e.on === 'target' ? 'the server' : 'the client';
  return [
    c.bold(
      c.red(
        `${e.target} could not be reached for management after ${seconds(e.waitedMs)}: ${describeReason(e.reason)}`,
      ),
    ),
    c.dim(`  ${e.detail}`),
    `  steps on ${where} end UNREACHABLE; the other steps go on. Next: ${REASONS[e.reason].next}`,
  ];
}

/** The summary's lines for an unreachable target: not inspected, why, and what the client's evidence shows. */
export function formatUnreachableSummary(
  unreachable: NonNullable<SummaryEvent['unreachable']>,
  causes: RankedCause[],
  c: Colors,
): string[] {
  const side = unreachable.on === 'target' ? 'server' : 'client';
  const lines = [
    c.bold(
      c.red(
        `  the ${side} was not inspected: ${unreachable.target} could not be reached: ${describeReason(unreachable.reason)}`,
      ),
    ),
    `    not run there: ${unreachable.steps.join(', ') || 'nothing'}`,
  ];
  const detected = causes.filter((x) => x.detected);
  if (detected.length === 0) {
    lines.push(
      `  the ${unreachable.on === 'target' ? "client's" : "server's"} evidence points to no cause on its own`,
    );
  } else {
    lines.push(`  the ${unreachable.on === 'target' ? "client's" : "server's"} evidence points to:`);
    for (const cause of detected) {
      lines.push(`    ${cause.title} [${cause.cause}] ${Math.round(cause.confidence * 100)}%`);
      for (const ev of cause.evidence) lines.push(c.dim(`      ${ev.stepId}: ${ev.evidence}`));
    }
  }
  lines.push(`  next: ${REASONS[unreachable.reason].next}`);
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
