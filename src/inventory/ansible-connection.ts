import { didYouMean } from '../playbook/did-you-mean.js';
import { describeValue } from '../playbook/schema-problems.js';
import type { TargetSpec } from '../powershell/types.js';
import type { OnceProblems } from './once-problems.js';
import { WINRM_CREDENTIAL_HINT } from './own-connection.js';
import type { RawValue } from './raw-inventory.js';
import { readPort } from './read-port.js';
import { sshTarget } from './ssh-target.js';

const CONNECTIONS: Record<string, 'ssh' | 'winrm' | 'psrp' | 'local'> = {
  ssh: 'ssh',
  paramiko: 'ssh',
  winrm: 'winrm',
  psrp: 'psrp',
  local: 'local',
};

// Variables psremedy reads (below) or that say nothing about how to connect.
const READ = new Set([
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_connection',
  'ansible_winrm_scheme',
  'ansible_winrm_port',
  'ansible_winrm_transport',
  'ansible_psrp_protocol',
  'ansible_psrp_port',
  'ansible_psrp_auth',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_shell_type',
  'ansible_group_priority',
  'ansible_python_interpreter',
]);

// Negotiate (what New-PSSession uses by default) covers Kerberos and NTLM.
const NEGOTIATED_AUTH = new Set(['negotiate', 'kerberos', 'ntlm']);

const PASSWORD_HINT =
  'psremedy never reads passwords from an inventory: set PSREMEDY_CREDENTIAL_FILE (or PSREMEDY_CREDENTIAL_USER and _PASSWORD), or let it prompt';

/**
 * Maps a host's Ansible connection variables to a psremedy target, with Ansible's defaults:
 * ssh unless ansible_connection says otherwise; winrm on 5986 over https unless the port is
 * 5985; psrp https unless the port is 5985. Variables psremedy cannot honour are warnings; a
 * connection it cannot use is an error.
 */
export function mapAnsibleConnection(
  name: string,
  vars: Map<string, RawValue>,
  problems: OnceProblems,
): { address: string; target: TargetSpec } | undefined {
  const get = (key: string) => vars.get(key);
  const hostVar = get('ansible_host') ?? get('ansible_ssh_host');
  const address = hostVar === undefined ? name : String(hostVar.value);
  const connectionVar = get('ansible_connection');
  const written = connectionVar === undefined ? 'ssh' : String(connectionVar.value);
  const connection = CONNECTIONS[written.replace(/^ansible\.builtin\./, '')];
  if (!connection) {
    const hint = didYouMean(written, Object.keys(CONNECTIONS));
    problems.error(
      connectionVar!,
      `ansible_connection "${written}" is not a connection psremedy can use`,
      hint || 'psremedy reaches hosts with winrm, psrp, ssh or local',
    );
    return undefined;
  }
  warnAboutUnread(vars, connection, problems);
  if (hasConnectionTemplate(vars, problems)) return undefined;
  if (connection === 'local') return { address, target: { kind: 'local' } };
  const portVar =
    (connection === 'psrp'
      ? get('ansible_psrp_port')
      : connection === 'winrm'
        ? get('ansible_winrm_port')
        : get('ansible_ssh_port')) ?? get('ansible_port');
  let port: number | undefined;
  if (portVar !== undefined) {
    port = readPort(portVar.value);
    if (port === undefined) {
      problems.error(portVar, `${describeValue(portVar.value)} is not a TCP port (1-65535)`);
      return undefined;
    }
  }
  const userVar = get('ansible_user') ?? get('ansible_ssh_user');
  if (connection === 'ssh') {
    const keyVar = get('ansible_ssh_private_key_file') ?? get('ansible_private_key_file');
    return { address, target: sshTarget(address, port, userVar, keyVar) };
  }
  if (userVar !== undefined)
    problems.warn(userVar, 'ansible_user is not used for WinRM', WINRM_CREDENTIAL_HINT);
  const schemeVar = connection === 'psrp' ? get('ansible_psrp_protocol') : get('ansible_winrm_scheme');
  const scheme =
    schemeVar === undefined ? (port === 5985 ? 'http' : 'https') : String(schemeVar.value).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    problems.error(schemeVar!, `${describeValue(schemeVar!.value)} is not http or https`);
    return undefined;
  }
  const authVar = connection === 'psrp' ? get('ansible_psrp_auth') : get('ansible_winrm_transport');
  if (authVar !== undefined && !NEGOTIATED_AUTH.has(String(authVar.value).toLowerCase()))
    problems.warn(
      authVar,
      `authentication "${String(authVar.value)}" is not used: psremedy connects with Negotiate (Kerberos or NTLM)`,
    );
  const useSsl = scheme === 'https';
  return {
    address,
    target: { kind: 'winrm', computerName: address, port: port ?? (useSsl ? 5986 : 5985), useSsl },
  };
}

function warnAboutUnread(vars: Map<string, RawValue>, connection: string, problems: OnceProblems): void {
  for (const [key, value] of vars) {
    if (!key.startsWith('ansible_') || READ.has(key)) continue;
    if (isPasswordVariable(key)) {
      problems.warn(value, `${key} is ignored`, PASSWORD_HINT);
      continue;
    }
    if (/cert_validation$/.test(key) && String(value.value).toLowerCase() === 'ignore') {
      problems.warn(value, `${key}=ignore is ignored: psremedy always validates the server's certificate`);
      continue;
    }
    problems.warn(value, `${key} is not used by psremedy (connection ${connection})`);
  }
}

/** True for Ansible's password variables (ansible_password, ansible_winrm_pass, ansible_become_pass, ...). */
export function isPasswordVariable(key: string): boolean {
  return key.startsWith('ansible_') && /pass(word)?$/.test(key);
}

// Jinja is Ansible's; psremedy reads values as written. A templated connection setting would
// send psremedy to the wrong place, so it is an error; elsewhere it is a warning.
function hasConnectionTemplate(vars: Map<string, RawValue>, problems: OnceProblems): boolean {
  let found = false;
  for (const [key, value] of vars) {
    if (typeof value.value !== 'string' || !value.value.includes('{{')) continue;
    const isConnection = READ.has(key);
    const message = `${key} is a Jinja template: psremedy does not evaluate Jinja`;
    if (isConnection) problems.error(value, message, 'write the value itself');
    else problems.warn(value, message, 'psremedy uses the text as it is written');
    found ||= isConnection;
  }
  return found;
}
