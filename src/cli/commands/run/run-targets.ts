/**
 * Where a run's steps go: `--lab <scenario>` (a fresh lab host per run), `--target` with its
 * transport flags, the playbook's `target:`, or this machine. Builds the sessions for it.
 */
import { UsageError } from '../../../core/errors.js';
import { maskSessionOutput, maskText, secretsOfRun } from '../../../engine/mask-secrets.js';
import type { SessionProvider } from '../../../engine/session-provider.js';
import { createTargetSessions } from '../../../engine/target-sessions.js';
import { evaluateTemplate } from '../../../playbook/expressions.js';
import type { LoadedPlaybook } from '../../../playbook/load-playbook.js';
import { readCredentialFromEnvironment } from '../../../powershell/read-credential.js';
import type { TargetSpec } from '../../../powershell/types.js';

/** The target flags of `psremedy run`. */
export interface TargetFlags {
  target?: string;
  transport?: string;
  user?: string;
  port?: string;
  keyFile?: string;
}

/** A target spec from flags, or from the playbook's `target:` evaluated with the params. */
export function resolveTarget(
  flags: TargetFlags,
  playbook: LoadedPlaybook,
  params: Record<string, unknown>,
): TargetSpec {
  const declared = playbook.doc.target;
  const host =
    flags.target ??
    (declared ? String(evaluateTemplate(declared.host, { params, steps: {}, causes: {} })) : undefined);
  if (!host || host === 'local') return { kind: 'local' };
  const transport = flags.transport ?? declared?.transport ?? 'winrm';
  const portText = flags.port ?? (declared?.port === undefined ? undefined : String(declared.port));
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535))
    throw new UsageError(`--port ${portText} is not a TCP port (1-65535)`);
  const user = flags.user ?? declared?.user;
  if (transport === 'ssh')
    return {
      kind: 'ssh',
      hostName: host,
      ...(port ? { port } : {}),
      ...(user ? { userName: user } : {}),
      ...(flags.keyFile ? { keyFilePath: flags.keyFile } : {}),
    };
  if (transport === 'winrm') {
    if (flags.keyFile) throw new UsageError('--key-file is for --transport ssh; WinRM uses a credential');
    return { kind: 'winrm', computerName: host, ...(port ? { port } : {}) };
  }
  throw new UsageError(`--transport ${transport} is not one of: ssh, winrm`);
}

/** A running lab for `--lab`, reduced to what a run needs. */
export interface RunLab {
  scenario: string;
  target: TargetSpec;
  hostName: string;
  statePaths: string[];
  sessionOptions: { env: Record<string, string>; startupScripts: string[] };
  stop(): Promise<void>;
}

/** Starts a fresh lab for one run; its state lives under `<stateDir>/labs/`. */
export async function startRunLab(scenario: string, stateDir: string): Promise<RunLab> {
  const { mkdir, mkdtemp } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { startLab } = await import('../../../lab/lab.js');
  await mkdir(join(stateDir, 'labs'), { recursive: true, mode: 0o700 });
  const labDir = await mkdtemp(join(stateDir, 'labs', `${scenario.replace(/[^A-Za-z0-9-]/g, '-')}-`));
  const lab = await startLab(scenario, { stateDir: labDir });
  const host = lab.hosts[0];
  if (!host) {
    await lab.stop();
    throw new UsageError(`lab scenario ${scenario} starts no host`);
  }
  return {
    scenario,
    target: host.target,
    hostName: host.name,
    statePaths: lab.hosts.map((h) => h.statePath),
    sessionOptions: lab.localSessionOptions,
    stop: () => lab.stop(),
  };
}

/** Sessions for a run's client and target, with PowerShell's noise sent to `onDiagnostics` (for --verbose). */
export function openRunSessions(
  targets: { client: TargetSpec; target: TargetSpec },
  options: {
    env?: Record<string, string>;
    startupScripts?: string[];
    onDiagnostics?: (text: string, target: string) => void;
    /** Secret param values to mask in diagnostics (the WinRM password always is). */
    secrets?: string[];
    connectTimeoutMs?: number;
  },
): SessionProvider {
  const withCredentials = { client: withCredential(targets.client), target: withCredential(targets.target) };
  const secrets = secretsOfRun({}, {}, [withCredentials.client, withCredentials.target]);
  secrets.push(...(options.secrets ?? []));
  const { onDiagnostics } = options;
  const sessions = createTargetSessions(withCredentials, {
    ...options,
    ...(onDiagnostics
      ? { onDiagnostics: (text, where) => onDiagnostics(maskText(text, secrets), where) }
      : {}),
  });
  return maskSessionOutput(sessions, secrets);
}

/**
 * A WinRM target with the unattended credential of the environment (PSREMEDY_CREDENTIAL_FILE, or
 * PSREMEDY_CREDENTIAL_USER + _PASSWORD) when one is set; without one, PowerShell connects as the
 * current Windows identity (Kerberos/Negotiate), as Enter-PSSession does. Journaled targets never
 * carry it, so rollback and resume read it again here.
 */
export function withCredential(target: TargetSpec, env: NodeJS.ProcessEnv = process.env): TargetSpec {
  if (target.kind !== 'winrm' || target.credential) return target;
  const credential = readCredentialFromEnvironment(env);
  return credential ? { ...target, credential } : target;
}

/**
 * Session options that reach a finished lab run's host again (for rollback and resume): the lab
 * folder under the state folder keeps the host's state file and the stand-in ssh's entries.
 */
export async function reattachLab(
  statePaths: string[],
): Promise<{ env: Record<string, string>; startupScripts: string[] }> {
  const { delimiter, dirname } = await import('node:path');
  const { existsSync } = await import('node:fs');
  const { LAB_BIN_DIR, labClientModule } = await import('../../../lab/lab-paths.js');
  const first = statePaths[0];
  if (!first || !existsSync(first))
    throw new UsageError(
      `the lab state of this run is gone (${first ?? 'no state path journaled'}); there is nothing to reach`,
    );
  const clientModule = labClientModule();
  return {
    env: {
      PATH: `${LAB_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
      PSREMEDY_LAB_RUN_DIR: dirname(dirname(first)),
      PSREMEDY_LAB_STATE: statePaths.join(delimiter),
    },
    startupScripts: clientModule ? [clientModule] : [],
  };
}
