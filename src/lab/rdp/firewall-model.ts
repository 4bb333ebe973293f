import type { FirewallProfileSettings, FirewallRule, HostState, NetAdapter } from '../host-state.js';
import { type AddressContext, addressConditionCovers } from './address-match.js';

/**
 * What Windows Defender Firewall does with one inbound connection, as lab/STATE.md ("Firewall")
 * describes it after Microsoft's documents: the profile of the interface the traffic arrives on;
 * the effective policy (Group Policy over local settings, local rules dropped where the GPO sets
 * AllowLocalFirewallRules = False); rule conditions (protocol, port, program/service, addresses,
 * interface, authentication); precedence authenticated bypass > Block > Allow > default action.
 */

/** The address a lab client connects from unless the state's `client.sourceAddress` names another. */
export const DEFAULT_CLIENT_ADDRESS = '192.168.10.20';

/** One inbound connection attempt as the host's firewall sees it. */
export interface InboundTraffic {
  protocol: 'TCP' | 'UDP';
  port: number;
  remoteAddress: string;
  /** IPsec-authenticated (the lab's clients never are). */
  authenticated: boolean;
}

/** The firewall's answer and the rule or setting that decided it. */
export type FirewallVerdict =
  | { admitted: true; by: 'profile-off' | 'bypass-rule' | 'allow-rule' | 'default-allow'; rule?: string }
  | { admitted: false; by: 'block-rule' | 'default-block'; rule?: string };

/** The address the lab's client connects from. */
export function clientAddress(state: HostState): string {
  return state.client.sourceAddress ?? DEFAULT_CLIENT_ADDRESS;
}

/** The adapter the client's traffic arrives on: an on-link Up adapter, else the one with the default route (management first). */
export function arrivalAdapter(state: HostState, remoteAddress: string): NetAdapter | undefined {
  const up = state.netAdapters.filter((a) => a.status === 'Up');
  const onLink = up.find((a) =>
    addressConditionCovers('LocalSubnet', remoteAddress, { subnets: a.ipv4 ?? [], gateways: [] }),
  );
  if (onLink) return onLink;
  const routed = up.filter((a) => typeof a.gateway === 'string' && a.gateway !== '');
  return routed.find((a) => a.carriesManagement) ?? routed[0] ?? up.find((a) => a.carriesManagement);
}

/** The connection profile (firewall profile) of an adapter. */
export function profileOfAdapter(state: HostState, adapter: NetAdapter | undefined): string {
  return adapter?.networkCategory ?? state.firewall.activeProfile;
}

/** Judges one inbound connection against the effective (ActiveStore) policy. */
export function judgeInbound(state: HostState, traffic: InboundTraffic): FirewallVerdict {
  const adapter = arrivalAdapter(state, traffic.remoteAddress);
  const profileName = profileOfAdapter(state, adapter);
  const profile = effectiveProfile(state, profileName);
  if (!profile.enabled) return { admitted: true, by: 'profile-off' };
  const context: AddressContext = {
    subnets: state.netAdapters.filter((a) => a.status === 'Up').flatMap((a) => a.ipv4 ?? []),
    gateways: state.netAdapters.flatMap((a) => (a.gateway ? [a.gateway] : [])),
  };
  const localAddresses = [
    ...(adapter?.ipv4 ?? []).map((a) => a.address),
    ...(state.network?.address ? [state.network.address] : []),
  ];
  const matching = effectiveRules(state, profile).filter((rule) =>
    ruleMatches(rule, traffic, profileName, adapter?.name ?? '', localAddresses, context),
  );
  const bypass = matching.find((r) => r.action === 'Allow' && r.overrideBlockRules === true);
  if (bypass) return { admitted: true, by: 'bypass-rule', rule: bypass.name };
  const block = matching.find((r) => r.action === 'Block');
  if (block) return { admitted: false, by: 'block-rule', rule: block.name };
  const allow = matching.find((r) => r.action === 'Allow');
  if (allow) return { admitted: true, by: 'allow-rule', rule: allow.name };
  return profile.defaultInboundAction === 'Allow'
    ? { admitted: true, by: 'default-allow' }
    : { admitted: false, by: 'default-block' };
}

/** A profile's effective settings: a value Group Policy configures wins over the local one. */
export function effectiveProfile(
  state: HostState,
  name: string,
): { name: string; enabled: boolean; defaultInboundAction: 'Allow' | 'Block'; allowLocalRules: boolean } {
  const local = state.firewall.profiles.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const gpo = state.firewall.groupPolicy?.profiles?.find(
    (p: FirewallProfileSettings) => p.name.toLowerCase() === name.toLowerCase(),
  );
  const configured = (v: string | undefined) => (v && v !== 'NotConfigured' ? v : undefined);
  const inbound = configured(gpo?.defaultInboundAction) ?? configured(local?.defaultInboundAction) ?? 'Block';
  return {
    name,
    enabled: gpo?.enabled ?? local?.enabled ?? true,
    defaultInboundAction: inbound === 'Allow' ? 'Allow' : 'Block',
    allowLocalRules: gpo?.allowLocalFirewallRules ?? true,
  };
}

/** Rules in force on a profile: the GPO's, and the local ones unless the GPO stops merging them. */
function effectiveRules(state: HostState, profile: { allowLocalRules: boolean }): FirewallRule[] {
  const gpoRules = state.firewall.groupPolicy?.rules ?? [];
  return profile.allowLocalRules ? [...gpoRules, ...state.firewall.rules] : [...gpoRules];
}

function ruleMatches(
  rule: FirewallRule,
  traffic: InboundTraffic,
  profileName: string,
  interfaceAlias: string,
  localAddresses: string[],
  context: AddressContext,
): boolean {
  if (!rule.enabled || rule.direction !== 'Inbound') return false;
  const protocol = String(rule.protocol ?? 'Any').toUpperCase();
  const protocolNumber = traffic.protocol === 'TCP' ? '6' : '17';
  if (protocol !== 'ANY' && protocol !== traffic.protocol && protocol !== protocolNumber) return false;
  if (!listCovers(rule.profile, profileName)) return false;
  if (!portCovers(rule.localPort, traffic.port)) return false;
  if (!appliesToTermService(rule)) return false;
  if (!addressConditionCovers(rule.remoteAddress, traffic.remoteAddress, context)) return false;
  if (!localAddresses.some((a) => addressConditionCovers(rule.localAddress, a, context))) return false;
  if (!interfaceCovers(rule.interfaceAlias, interfaceAlias)) return false;
  // Authentication "Required" (and every bypass rule): only IPsec-authenticated traffic matches.
  if ((rule.authentication === 'Required' || rule.overrideBlockRules === true) && !traffic.authenticated)
    return false;
  return true;
}

/** A rule restricted to another program or service (e.g. the shadowing rule, RdpSa.exe) does not admit RDP. */
function appliesToTermService(rule: FirewallRule): boolean {
  const program = typeof rule.program === 'string' ? rule.program.trim().toLowerCase() : 'any';
  const service = typeof rule.service === 'string' ? rule.service.trim().toLowerCase() : 'any';
  const programOk =
    program === 'any' ||
    program === '' ||
    /^(%systemroot%|%windir%|c:\\windows)\\system32\\svchost\.exe$/.test(program);
  const serviceOk = service === 'any' || service === '' || service === '*' || service === 'termservice';
  return programOk && serviceOk;
}

function listCovers(list: string | undefined, wanted: string): boolean {
  const entries = String(list ?? 'Any')
    .split(',')
    .map((p) => p.trim().toLowerCase());
  return entries.includes('any') || entries.includes(wanted.toLowerCase());
}

function interfaceCovers(list: string | undefined, alias: string): boolean {
  const entries = String(list ?? 'Any')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (entries.length === 0 || entries.some((e) => /^any$/i.test(e))) return true;
  return entries.some((e) => wildcard(e).test(alias));
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function portCovers(localPort: string | undefined, port: number): boolean {
  return String(localPort ?? 'Any')
    .split(',')
    .some((part) => {
      const p = part.trim();
      if (/^any$/i.test(p)) return true;
      const range = /^(\d+)-(\d+)$/.exec(p);
      if (range) return port >= Number(range[1]) && port <= Number(range[2]);
      return Number(p) === port;
    });
}
