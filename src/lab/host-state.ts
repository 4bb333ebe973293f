import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * The lab host state (lab/schema/host-state.schema.json, documented in lab/STATE.md; the lab
 * module owns the format). These types cover what the Node side reads; the rest passes through.
 */

/** One typed registry value; Binary values are upper-case hex without separators. */
export interface RegistryValue {
  type: 'DWord' | 'QWord' | 'String' | 'ExpandString' | 'MultiString' | 'Binary';
  value: unknown;
}

/** A certificate in a LocalMachine store. */
export interface CertificateEntry {
  thumbprint: string;
  subject: string;
  issuer?: string;
  dnsNames?: string[];
  notBefore: string;
  notAfter: string;
  serialNumber?: string;
  hasPrivateKey: boolean;
  keyReadableByNetworkService?: boolean;
  selfSigned?: boolean;
  enhancedKeyUsages?: string[];
  certPem?: string;
  keyPem?: string;
  [extra: string]: unknown;
}

/** A Windows service as the lab sees it. */
export interface ServiceEntry {
  name: string;
  status: string;
  startType: string;
  [extra: string]: unknown;
}

/** A Windows Defender Firewall rule. */
export interface FirewallRule {
  name: string;
  enabled: boolean;
  direction: 'Inbound' | 'Outbound';
  profile: string;
  protocol: string;
  localPort: string;
  action: 'Allow' | 'Block';
  [extra: string]: unknown;
}

/** A network adapter. */
export interface NetAdapter {
  name: string;
  status: string;
  carriesManagement?: boolean;
  [extra: string]: unknown;
}

/** One simulated Windows host. */
export interface HostState {
  schemaVersion: number;
  hostName: string;
  domain?: string;
  clock: string;
  network?: { address?: string };
  registry: Record<string, Record<string, RegistryValue>>;
  services: ServiceEntry[];
  firewall: {
    profiles: Array<{ name: string; enabled: boolean; [extra: string]: unknown }>;
    activeProfile: string;
    rules: FirewallRule[];
  };
  netAdapters: NetAdapter[];
  certificates: Record<string, CertificateEntry[]>;
  events: unknown[];
  scheduledTasks: unknown[];
  client: { dns?: Record<string, string[]>; hostsFile?: Record<string, string[]> };
  [extra: string]: unknown;
}

/** Reads a host state file; the error names the file and what is wrong with it. */
export async function readHostState(path: string): Promise<HostState> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as HostState;
  } catch (error) {
    throw new Error(`lab host state ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Writes a host state atomically (temp file in the same folder, then rename), as the contract requires. */
export async function writeHostState(path: string, state: HostState): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await rename(temp, path);
}

/** Finds a registry value with the case-insensitive key and name matching Windows uses. */
export function findRegistryValue(state: HostState, key: string, name: string): RegistryValue | undefined {
  const wantedKey = key.toLowerCase();
  const wantedName = name.toLowerCase();
  for (const [k, values] of Object.entries(state.registry)) {
    if (k.toLowerCase() !== wantedKey) continue;
    for (const [n, value] of Object.entries(values)) if (n.toLowerCase() === wantedName) return value;
  }
  return undefined;
}
