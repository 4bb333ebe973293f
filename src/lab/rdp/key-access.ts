import type { CertificateEntry } from '../host-state.js';

/**
 * Whether NETWORK SERVICE (TermService's account) can open a certificate's private key, from the
 * key file's ACL as lab/STATE.md describes it (`keyAcl`, entries like Get-Acl's Access list):
 * Windows grants access only when an Allow entry for one of the account's SIDs carries read access
 * and no Deny entry for one of them takes it away (Deny entries are evaluated first in canonical
 * order). Generic rights count as what they map to for files: GENERIC_READ / GENERIC_ALL read.
 */

/** One access control entry of a key file. */
export interface KeyAce {
  /** A SID (S-1-5-20) or the account name Get-Acl shows (NT AUTHORITY\NETWORK SERVICE). */
  identity: string;
  /** FileSystemRights as a number, or names: Read, ReadData, FullControl, GENERIC_READ, ... */
  rights: number | string;
  type: 'Allow' | 'Deny';
}

/** SIDs whose entries apply to NETWORK SERVICE: itself, Everyone, Authenticated Users, SERVICE, BUILTIN\Users. */
const NETWORK_SERVICE_SIDS = ['S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-6', 'S-1-5-32-545'];

/** Account names the lab accepts for those SIDs (as Get-Acl shows them on an English system). */
const ACCOUNT_SIDS: Record<string, string> = {
  'nt authority\\network service': 'S-1-5-20',
  everyone: 'S-1-1-0',
  'nt authority\\authenticated users': 'S-1-5-11',
  'nt authority\\service': 'S-1-5-6',
  'builtin\\users': 'S-1-5-32-545',
  'builtin\\administrators': 'S-1-5-32-544',
  'nt authority\\system': 'S-1-5-18',
};

/** ReadData (0x1), GENERIC_READ (0x80000000), GENERIC_ALL (0x10000000). */
const READ_BITS = [0x1, 0x80000000, 0x10000000];

const RIGHT_NAMES: Record<string, number> = {
  readdata: 0x1,
  read: 0x20089,
  readandexecute: 0x200a9,
  modify: 0x301bf,
  fullcontrol: 0x1f01ff,
  generic_read: 0x80000000,
  generic_all: 0x10000000,
  generic_write: 0x40000000,
  generic_execute: 0x20000000,
  write: 0x116,
};

/** The SID an ACE names (an S-1-... string stays as it is). */
export function sidOf(identity: string): string {
  if (/^S-1-/i.test(identity)) return identity.toUpperCase();
  return ACCOUNT_SIDS[identity.toLowerCase()] ?? identity;
}

/** FileSystemRights as an unsigned 32-bit mask. */
export function rightsMask(rights: number | string): number {
  if (typeof rights === 'number') return rights >>> 0;
  return (
    rights
      .split(',')
      .map((r) => r.trim().toLowerCase())
      .reduce((mask, name) => mask | (RIGHT_NAMES[name] ?? Number(name) ?? 0), 0) >>> 0
  );
}

function grantsRead(ace: KeyAce): boolean {
  const mask = rightsMask(ace.rights);
  return READ_BITS.some((bit) => (mask & bit) >>> 0 !== 0);
}

/** NETWORK SERVICE can read the key: `keyReadableByNetworkService` when no `keyAcl` is given, else the ACL decides. */
export function isKeyReadableByNetworkService(cert: CertificateEntry): boolean {
  if (cert.keyReadableByNetworkService === false) return false;
  const acl = cert.keyAcl as KeyAce[] | undefined;
  if (!Array.isArray(acl)) return true;
  const applies = acl.filter((ace) => NETWORK_SERVICE_SIDS.includes(sidOf(ace.identity)));
  if (applies.some((ace) => ace.type === 'Deny' && grantsRead(ace))) return false;
  return applies.some((ace) => ace.type === 'Allow' && grantsRead(ace));
}
