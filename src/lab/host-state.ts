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
  remoteAddress?: string;
  localAddress?: string;
  /** Interfaces the rule applies to (comma list of aliases, wildcards allowed); absent = Any. */
  interfaceAlias?: string;
  /** `Required`: the rule matches only IPsec-authenticated traffic (Get-NetFirewallSecurityFilter). */
  authentication?: 'NotRequired' | 'Required';
  /** An authenticated-bypass Allow rule: it beats Block rules, for authenticated traffic only. */
  overrideBlockRules?: boolean;
  [extra: string]: unknown;
}

/** A firewall profile's settings; a Group Policy copy leaves unset what the GPO does not configure. */
export interface FirewallProfileSettings {
  name: string;
  enabled?: boolean;
  defaultInboundAction?: 'NotConfigured' | 'Allow' | 'Block';
  /** Group Policy only: false = local rules are not applied on this profile (AllowLocalPolicyMerge 0). */
  allowLocalFirewallRules?: boolean;
  [extra: string]: unknown;
}

/** A network adapter. */
export interface NetAdapter {
  name: string;
  status: string;
  carriesManagement?: boolean;
  ipv4?: Array<{ address: string; prefixLength: number }>;
  gateway?: string;
  /** The network category of this adapter's connection profile; absent = `firewall.activeProfile`. */
  networkCategory?: 'Domain' | 'Private' | 'Public';
  /** Whether a cable/link is present; absent = true unless the status is Disconnected. */
  cableConnected?: boolean;
  /** NetBIOS LANA number (what RDP-Tcp `LanAdapter` names). */
  lanaId?: number;
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
    profiles: Array<FirewallProfileSettings & { enabled: boolean }>;
    activeProfile: string;
    rules: FirewallRule[];
    /** Firewall settings and rules from domain Group Policy (the GPO store; RSOP). */
    groupPolicy?: { gpoName?: string; profiles?: FirewallProfileSettings[]; rules?: FirewallRule[] };
  };
  netAdapters: NetAdapter[];
  certificates: Record<string, CertificateEntry[]>;
  events: unknown[];
  scheduledTasks: unknown[];
  client: { dns?: Record<string, string[]>; hostsFile?: Record<string, string[]>; sourceAddress?: string };
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
