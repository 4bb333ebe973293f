import type { CertificateEntry, HostState } from '../host-state.js';
import { RDP_KEYS } from '../rdp/rdp-registry-keys.js';
import { resolveLabTime } from './lab-time.js';
import type { Change } from './scenario-schema.js';
import {
  assertDataKey,
  ChangeError,
  existingName,
  findCertificate,
  listHint,
  named,
  registryKey,
  setPointer,
  storeOf,
} from './state-lookup.js';

/** A certificate a change described by attributes, to be made real before the host starts. */
export interface PendingCertificate {
  store: string;
  /** Its thumbprint before the change (a re-made certificate keeps its registry binding). */
  replaces?: string;
  /** Bind it as the RDP listener certificate (SSLCertificateSHA1Hash) once its thumbprint is known. */
  bind: boolean;
}

/** Attributes written into the certificate itself: changing one means making a new certificate. */
const PEM_ATTRIBUTES = ['subject', 'dnsNames', 'notBefore', 'notAfter', 'selfSigned', 'enhancedKeyUsages'];

/** Applies one change to `state` in place; certificates it describes are added to `pending`. */
export function applyChange(
  state: HostState,
  change: Change,
  pending: Map<CertificateEntry, PendingCertificate>,
): void {
  switch (change.op) {
    case 'setRegistryValue': {
      const { key, name, type, value } = change.arg;
      const values = registryKey(state, key, true);
      assertDataKey(name, 'registry value');
      values[existingName(values, name) ?? name] = {
        type,
        value: type === 'Binary' ? String(value).toUpperCase() : value,
      };
      return;
    }
    case 'removeRegistryValue': {
      const values = registryKey(state, change.arg.key, false);
      const name = existingName(values, change.arg.name);
      if (!name)
        throw new ChangeError(
          `no value "${change.arg.name}" under ${change.arg.key}`,
          listHint(Object.keys(values)),
        );
      delete values[name];
      return;
    }
    case 'removeRegistryKey': {
      const prefix = change.arg.key.toLowerCase();
      for (const key of Object.keys(state.registry)) {
        const k = key.toLowerCase();
        if (k === prefix || k.startsWith(`${prefix}\\`)) delete state.registry[key];
      }
      return;
    }
    case 'setService':
      Object.assign(named(state.services, change.arg.name, 'service'), withoutName(change.arg));
      return;
    case 'setFirewallRule':
      Object.assign(named(state.firewall.rules, change.arg.name, 'firewall rule'), withoutName(change.arg));
      return;
    case 'addFirewallRule': {
      if (state.firewall.rules.some((r) => r.name === change.arg.name)) {
        throw new ChangeError(
          `a firewall rule named "${change.arg.name}" already exists`,
          'use setFirewallRule to change it',
        );
      }
      state.firewall.rules.push({
        enabled: true,
        direction: 'Inbound',
        profile: 'Any',
        protocol: 'TCP',
        localPort: 'Any',
        action: 'Allow',
        ...change.arg,
      } as HostState['firewall']['rules'][number]);
      return;
    }
    case 'removeFirewallRule': {
      const rule = named(state.firewall.rules, change.arg.name, 'firewall rule');
      state.firewall.rules.splice(state.firewall.rules.indexOf(rule), 1);
      return;
    }
    case 'setFirewallProfile':
      Object.assign(
        named(state.firewall.profiles, change.arg.name, 'firewall profile'),
        withoutName(change.arg),
      );
      return;
    case 'setActiveFirewallProfile':
      state.firewall.activeProfile = change.arg;
      return;
    case 'setNetAdapter':
      Object.assign(named(state.netAdapters, change.arg.name, 'network adapter'), withoutName(change.arg));
      return;
    case 'setCertificate': {
      const { store, match, ...attributes } = change.arg;
      const cert = findCertificate(state, store, match);
      const previous = cert.thumbprint;
      Object.assign(cert, resolveTimes(attributes, state.clock));
      if (attributes.hasPrivateKey === false) delete cert.keyPem;
      if (!PEM_ATTRIBUTES.some((a) => a in attributes)) return;
      for (const stale of ['certPem', 'keyPem', 'thumbprint', 'serialNumber', 'issuer'] as const)
        delete cert[stale];
      pending.set(cert, {
        store,
        bind: pending.get(cert)?.bind ?? false,
        ...(previous ? { replaces: previous } : {}),
      });
      return;
    }
    case 'addCertificate': {
      const { store, bind, ...attributes } = change.arg;
      const cert = {
        hasPrivateKey: true,
        keyReadableByNetworkService: true,
        selfSigned: true,
        ...resolveTimes(attributes, state.clock),
      } as CertificateEntry;
      storeOf(state, store, true).push(cert);
      pending.set(cert, { store, bind: bind ?? false });
      return;
    }
    case 'removeCertificate': {
      const certs = storeOf(state, change.arg.store, false);
      const cert = findCertificate(state, change.arg.store, change.arg.match);
      certs.splice(certs.indexOf(cert), 1);
      pending.delete(cert);
      return;
    }
    case 'setClock':
      state.clock = resolveLabTime(change.arg, state.clock);
      return;
    case 'setClientDns':
    case 'setClientHostsFile': {
      const table = change.op === 'setClientDns' ? 'dns' : 'hostsFile';
      state.client[table] ??= {};
      const entries = state.client[table];
      assertDataKey(change.arg.name, 'host name');
      if (change.arg.addresses.length === 0) delete entries[change.arg.name];
      else entries[change.arg.name] = change.arg.addresses;
      return;
    }
    case 'addEvent': {
      const recordIds = state.events.map((e) => Number((e as { recordId?: number }).recordId ?? 0));
      const { timeCreated, ...event } = change.arg;
      state.events.push({
        ...event,
        timeCreated: resolveLabTime(timeCreated ?? 'clock', state.clock),
        recordId: Math.max(0, ...recordIds) + 1,
      });
      return;
    }
    case 'set':
      setPointer(state, change.arg.path, change.arg.value);
      return;
  }
}

/** Binds `thumbprint` as the RDP listener certificate (REG_BINARY SSLCertificateSHA1Hash, hex). */
export function bindListenerCertificate(state: HostState, thumbprint: string): void {
  registryKey(state, RDP_KEYS.rdpTcp, true).SSLCertificateSHA1Hash = {
    type: 'Binary',
    value: thumbprint.toUpperCase(),
  };
}

function resolveTimes<T extends { notBefore?: string; notAfter?: string }>(attributes: T, clock: string): T {
  const out = { ...attributes };
  if (out.notBefore !== undefined) out.notBefore = resolveLabTime(out.notBefore, clock);
  if (out.notAfter !== undefined) out.notAfter = resolveLabTime(out.notAfter, clock);
  return out;
}

function withoutName<T extends { name: string }>(arg: T): Omit<T, 'name'> {
  const { name: _name, ...rest } = arg;
  return rest;
}
