/**
 * Renames a lab host's state before it starts, as if Windows had been set up under that name:
 * the computer name (NetBIOS, upper case, as $env:COMPUTERNAME shows it), its FQDN, and every
 * place the old name appears (certificate subjects and SANs, the client's DNS and hosts-file
 * entries, event and task text). A certificate that already has its bytes is re-made, because
 * its subject is part of them; a registry binding to it follows the new thumbprint.
 */
import { UsageError } from '../../core/errors.js';
import type { CertificateEntry, HostState } from '../host-state.js';
import type { PendingCertificate } from './state-patch.js';

/**
 * A Windows computer name: 1-15 letters, digits and hyphens, not only digits, no leading hyphen
 * (learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou).
 */
const COMPUTER_NAME = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9-]{0,14}$/;

/** Throws a UsageError unless `name` can be a Windows computer name. */
export function checkComputerName(name: string): void {
  if (!COMPUTER_NAME.test(name))
    throw new UsageError(
      `"${name}" cannot be a Windows computer name (1-15 letters, digits or hyphens, not only digits)`,
    );
}

/** Renames `state` in place to `name`; certificates whose bytes change are added to `pending`. */
export function renameLabHost(
  state: HostState,
  name: string,
  pending: Map<CertificateEntry, PendingCertificate>,
): void {
  checkComputerName(name);
  const oldName = state.hostName;
  const newName = name.toUpperCase();
  if (oldName.toUpperCase() === newName) return;
  const pattern = new RegExp(`(?<![A-Za-z0-9-])${escapeRegExp(oldName)}(?![A-Za-z0-9-])`, 'gi');
  const rename = (text: string) =>
    text.replace(pattern, (found) =>
      found === found.toUpperCase() ? newName : found === found.toLowerCase() ? newName.toLowerCase() : name,
    );
  const made = new Map<CertificateEntry, string>();
  for (const [store, certs] of Object.entries(state.certificates ?? {}))
    for (const cert of certs) if (cert.certPem) made.set(cert, store);
  const { certificates, ...rest } = state;
  replaceStrings(rest, rename);
  for (const [store, certs] of Object.entries(certificates ?? {}))
    for (const cert of certs) {
      const before = JSON.stringify([cert.subject, cert.issuer, cert.dnsNames]);
      replaceStrings(cert, rename, new Set(['certPem', 'keyPem', 'thumbprint']));
      const renamed = before !== JSON.stringify([cert.subject, cert.issuer, cert.dnsNames]);
      if (!renamed || !made.has(cert)) continue;
      pending.set(cert, { ...(pending.get(cert) ?? { store, bind: false }), replaces: cert.thumbprint });
      delete cert.certPem;
      delete cert.keyPem;
    }
  state.hostName = newName;
}

/** Replaces every string value (and key) below `node` with `rename(value)`, in place. */
function replaceStrings(node: unknown, rename: (text: string) => string, skip = new Set<string>()): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (typeof item === 'string') node[i] = rename(item);
      else replaceStrings(item, rename);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (skip.has(key)) continue;
    const value = record[key];
    const newKey = rename(key);
    if (newKey !== key) {
      delete record[key];
      record[newKey] = value;
    }
    if (typeof value === 'string') record[newKey] = rename(value);
    else replaceStrings(value, rename);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
