import type { TargetSpec } from '../powershell/types.js';
import type { RawValue } from './raw-inventory.js';

/** An SSH target from an inventory's address and its (optional) port, user and key file values. */
export function sshTarget(
  address: string,
  port: number | undefined,
  user: RawValue | undefined,
  keyFile: RawValue | undefined,
): TargetSpec {
  return {
    kind: 'ssh',
    hostName: address,
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { userName: String(user.value) } : {}),
    ...(keyFile !== undefined ? { keyFilePath: String(keyFile.value) } : {}),
  };
}
