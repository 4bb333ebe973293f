import type { TargetSpec } from '../powershell/types.js';
import type { OnceProblems } from './once-problems.js';
import type { RawValue } from './raw-inventory.js';
import { sshTarget } from './ssh-target.js';

/** What a lab host's placeholder target points at: `.invalid` never resolves (RFC 2606). */
export const LAB_PLACEHOLDER_DOMAIN = 'lab.invalid';

/**
 * The target of an own-format host from its merged settings: winrm unless `transport` says
 * otherwise (as `psremedy run --target` does). Types were checked by the schema.
 */
export function mapOwnConnection(
  name: string,
  vars: Map<string, RawValue>,
  problems: OnceProblems,
): { address: string; target: TargetSpec; lab?: string } {
  const value = (key: string) => vars.get(key)?.value;
  const address = String(value('address') ?? name);
  const lab = vars.get('lab');
  if (lab !== undefined) {
    for (const key of ['address', 'transport', 'port', 'user', 'useSsl', 'keyFile']) {
      const set = vars.get(key);
      if (set?.path.startsWith('hosts.'))
        problems.error(set, `a lab host takes its ${key} from the lab; remove ${key} from host "${name}"`);
    }
    return {
      address: name,
      target: { kind: 'ssh', hostName: `${name}.${LAB_PLACEHOLDER_DOMAIN}` },
      lab: String(lab.value),
    };
  }
  const transport = String(value('transport') ?? 'winrm');
  const port = typeof value('port') === 'number' ? (value('port') as number) : undefined;
  const user = vars.get('user');
  const keyFile = vars.get('keyFile');
  const useSsl = vars.get('useSsl');
  if (transport === 'local') return { address, target: { kind: 'local' } };
  if (transport === 'ssh') {
    if (useSsl?.path.startsWith('hosts.'))
      problems.error(useSsl, `useSsl is for transport winrm; host "${name}" uses ssh`);
    return { address, target: sshTarget(address, port, user, keyFile) };
  }
  if (keyFile !== undefined)
    problems.error(
      keyFile,
      `keyFile is for transport ssh, not winrm`,
      'WinRM authenticates with a credential, not a key file',
    );
  if (user !== undefined) problems.warn(user, 'user is not used for WinRM', WINRM_CREDENTIAL_HINT);
  return {
    address,
    target: {
      kind: 'winrm',
      computerName: address,
      ...(port !== undefined ? { port } : {}),
      ...(useSsl !== undefined ? { useSsl: useSsl.value === true } : {}),
    },
  };
}

/** Where WinRM credentials come from instead of an inventory. */
export const WINRM_CREDENTIAL_HINT =
  'WinRM credentials come from PSREMEDY_CREDENTIAL_FILE (or PSREMEDY_CREDENTIAL_USER and _PASSWORD); without one psremedy connects as the current Windows user';
