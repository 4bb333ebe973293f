import { z } from 'zod';
import { isRelativeLabTime, resolveLabTime } from './lab-time.js';

/**
 * A lab scenario file (`lab/scenarios/<name>.yaml`): a base host state plus a list of changes, the
 * causes a playbook should find, and how the lab reaches the host. The change language is in
 * lab/scenarios/README.md; each change is a map with exactly one key naming the operation.
 */

const slug = /^[a-z0-9][a-z0-9+-]*$/;
/** An ISO 8601 time, or one relative to the host clock: `clock`, `clock-30d`, `clock+6h`. */
export const LabTime = z.string().refine(isLabTime, {
  message:
    'use an ISO 8601 time (2026-01-01T00:00:00Z) or one relative to the host clock (clock-30d, clock+6h, clock-90m, clock-5s)',
});

function isLabTime(text: string): boolean {
  if (!isRelativeLabTime(text)) return !Number.isNaN(Date.parse(text));
  try {
    resolveLabTime(text, new Date().toISOString());
    return true;
  } catch {
    return false;
  }
}

const registryType = z.enum(['DWord', 'QWord', 'String', 'ExpandString', 'MultiString', 'Binary']);
const registryKey = z.string().regex(/^HKLM:\\/, 'registry keys start with HKLM:\\');
const storeName = z.string().min(1);
const certMatch = z
  .strictObject({
    subject: z.string().optional(),
    thumbprint: z.string().optional(),
    selfSigned: z.boolean().optional(),
  })
  .optional();
const certAttributes = {
  subject: z.string().regex(/^[A-Za-z]+=/, 'a distinguished name such as CN=SRV01.corp.example'),
  dnsNames: z.array(z.string()),
  notBefore: LabTime,
  notAfter: LabTime,
  selfSigned: z.boolean(),
  hasPrivateKey: z.boolean(),
  keyReadableByNetworkService: z.boolean(),
  friendlyName: z.string(),
  enhancedKeyUsages: z.array(z.string()),
};

/** Each change operation and the shape of its argument. */
export const CHANGE_OPERATIONS = {
  setRegistryValue: z.strictObject({
    key: registryKey,
    name: z.string().min(1),
    type: registryType,
    value: z.unknown(),
  }),
  removeRegistryValue: z.strictObject({ key: registryKey, name: z.string().min(1) }),
  removeRegistryKey: z.strictObject({ key: registryKey }),
  setService: z.strictObject({
    name: z.string(),
    status: z.enum(['Running', 'Stopped', 'Paused']).optional(),
    startType: z.enum(['Automatic', 'Manual', 'Disabled']).optional(),
    startError: z.string().nullable().optional(),
  }),
  setFirewallRule: z.strictObject({
    name: z.string(),
    enabled: z.boolean().optional(),
    action: z.enum(['Allow', 'Block']).optional(),
    profile: z.string().optional(),
    protocol: z.string().optional(),
    localPort: z.string().optional(),
    remoteAddress: z.string().optional(),
  }),
  addFirewallRule: z.looseObject({ name: z.string(), displayName: z.string() }),
  removeFirewallRule: z.strictObject({ name: z.string() }),
  setFirewallProfile: z.strictObject({
    name: z.enum(['Domain', 'Private', 'Public']),
    enabled: z.boolean().optional(),
    defaultInboundAction: z.enum(['NotConfigured', 'Allow', 'Block']).optional(),
  }),
  setActiveFirewallProfile: z.enum(['Domain', 'Private', 'Public']),
  setNetAdapter: z.strictObject({
    name: z.string(),
    status: z.enum(['Up', 'Disconnected', 'Disabled', 'Not Present']).optional(),
    carriesManagement: z.boolean().optional(),
  }),
  setCertificate: z.strictObject(certAttributes).partial().extend({ store: storeName, match: certMatch }),
  addCertificate: z
    .strictObject(certAttributes)
    .partial()
    .required({ subject: true, notBefore: true, notAfter: true })
    .extend({ store: storeName, bind: z.boolean().optional() }),
  removeCertificate: z.strictObject({ store: storeName, match: certMatch }),
  setClock: LabTime,
  setClientDns: z.strictObject({ name: z.string(), addresses: z.array(z.string()) }),
  setClientHostsFile: z.strictObject({ name: z.string(), addresses: z.array(z.string()) }),
  addEvent: z.strictObject({
    logName: z.string(),
    providerName: z.string(),
    id: z.number().int(),
    level: z.number().int().min(0).max(5),
    message: z.string(),
    timeCreated: LabTime.optional(),
  }),
  set: z.strictObject({
    path: z.string().regex(/^\//, 'a JSON pointer such as /firewall/activeProfile'),
    value: z.unknown(),
  }),
} as const;

/** The name of a change operation. */
export type ChangeOperation = keyof typeof CHANGE_OPERATIONS;

/** One validated change: the operation and its argument. */
export type Change = {
  [K in ChangeOperation]: { op: K; arg: z.infer<(typeof CHANGE_OPERATIONS)[K]> };
}[ChangeOperation];

/** The scenario file's top level (changes are checked one by one, see parseChange). */
export const ScenarioFile = z.strictObject({
  apiVersion: z.literal('psremedy/v1'),
  kind: z.literal('LabScenario'),
  name: z.string().regex(slug, 'use lowercase letters, digits, dashes and +'),
  title: z.string().min(1),
  description: z.string().optional(),
  base: z.string().default('healthy'),
  expectedCauses: z.array(z.string().regex(slug, 'cause ids are lowercase with dashes')).default([]),
  /** Planted causes a fix names but must decline (Group Policy controls them): they stay reported as remaining. */
  expectedRemaining: z.array(z.string().regex(slug, 'cause ids are lowercase with dashes')).default([]),
  network: z
    .strictObject({
      blockedPorts: z.array(z.number().int().min(1).max(65535)).default([]),
    })
    .default({ blockedPorts: [] }),
  management: z.enum(['network', 'console']).default('network'),
  changes: z.array(z.unknown()).default([]),
});

/** A scenario as loaded: validated top level and changes, and where it came from. */
export type Scenario = Omit<z.infer<typeof ScenarioFile>, 'changes'> & { changes: Change[]; file: string };
