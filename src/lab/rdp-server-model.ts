import { type CertificateEntry, type FirewallRule, findRegistryValue, type HostState } from './host-state.js';
import { RDP_KEYS } from './rdp-registry-keys.js';
import { NEG_FAILURE, type NegotiationAnswer, PROTOCOL, WINDOWS_NEG_RSP_FLAGS } from './x224.js';

/**
 * What an RDP server in a given host state does on the wire, following the rules in
 * LAB-STATE.md (the lab module applies the same rules on the PowerShell side).
 */

/** Whether a TCP connection to the RDP port gets through, and why not. */
export type Reachability =
  | { kind: 'listening' }
  /** Nothing listens: the client gets a reset (connection refused). */
  | { kind: 'refused'; reason: 'rdp-disabled' | 'termservice-stopped' }
  /** The SYN is dropped: the client times out. */
  | { kind: 'dropped'; reason: 'firewall-closed' | 'adapter-down' };

/** TLS versions Schannel can offer, as Node names them. */
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';

/** What happens after a Connection Confirm that selected TLS or CredSSP. */
export type TlsBehaviour =
  | { kind: 'serve'; certPem: string; keyPem: string; thumbprint: string; versions: TlsVersion[] }
  /** Schannel cannot build a server credential: the connection closes after the ClientHello. */
  | { kind: 'fail'; reason: 'key-unreadable' | 'no-private-key' | 'no-tls-version' | 'no-key-material' };

/** Everything the listener needs from one read of the state. */
export interface RdpServerModel {
  port: number;
  reachability: Reachability;
  securityLayer: number;
  nlaRequired: boolean;
  /** Undefined when there is no listener certificate at all (negotiation answers SSL_CERT_NOT_ON_SERVER). */
  tls: TlsBehaviour | undefined;
}

/** SCHANNEL server protocols the lab serves, and whether each is on when its key says nothing. */
const TLS_KEYS: Array<[TlsVersion, string, boolean]> = [
  ['TLSv1', 'TLS 1.0', false],
  ['TLSv1.1', 'TLS 1.1', false],
  ['TLSv1.2', 'TLS 1.2', true],
];

/** Reads the RDP-relevant parts of a host state into the listener's model. */
export function modelRdpServer(state: HostState): RdpServerModel {
  return {
    port: dword(state, RDP_KEYS.rdpTcp, 'PortNumber') ?? 3389,
    reachability: judgeReachability(state),
    securityLayer: effectiveSetting(state, 'SecurityLayer') ?? 1,
    nlaRequired: (effectiveSetting(state, 'UserAuthentication') ?? 0) === 1,
    tls: judgeTls(state),
  };
}

/** Answers an X.224 Connection Request the way the modelled Windows server would. */
export function answerNegotiation(model: RdpServerModel, requested: number | undefined): NegotiationAnswer {
  const offered = requested ?? PROTOCOL.rdp;
  const offersHybrid = (offered & (PROTOCOL.hybrid | PROTOCOL.hybridEx)) !== 0;
  const offersTls = (offered & (PROTOCOL.ssl | PROTOCOL.hybrid | PROTOCOL.hybridEx)) !== 0;
  const fail = (failureCode: number): NegotiationAnswer => ({ kind: 'failure', failureCode });
  if (model.securityLayer === 0) {
    if (offersTls) return fail(NEG_FAILURE.sslNotAllowedByServer);
    if (model.nlaRequired) return fail(NEG_FAILURE.hybridRequiredByServer);
    return selectRdp(requested);
  }
  if (model.nlaRequired && !offersHybrid) return fail(NEG_FAILURE.hybridRequiredByServer);
  if (!offersTls) {
    if (model.securityLayer === 2) return fail(NEG_FAILURE.sslRequiredByServer);
    return selectRdp(requested);
  }
  if (model.tls === undefined) return fail(NEG_FAILURE.sslCertNotOnServer);
  const selected = offersHybrid
    ? (offered & PROTOCOL.hybridEx) !== 0
      ? PROTOCOL.hybridEx
      : PROTOCOL.hybrid
    : PROTOCOL.ssl;
  return { kind: 'response', selectedProtocol: selected, flags: WINDOWS_NEG_RSP_FLAGS };
}

function selectRdp(requested: number | undefined): NegotiationAnswer {
  if (requested === undefined) return { kind: 'legacy' };
  return { kind: 'response', selectedProtocol: PROTOCOL.rdp, flags: WINDOWS_NEG_RSP_FLAGS };
}

/** Drops come first (the packet never reaches the host's stack), then refusals (nothing listens). */
function judgeReachability(state: HostState): Reachability {
  if (!isManagementAdapterUp(state)) return { kind: 'dropped', reason: 'adapter-down' };
  const port = dword(state, RDP_KEYS.rdpTcp, 'PortNumber') ?? 3389;
  if (!firewallAdmits(state, port)) return { kind: 'dropped', reason: 'firewall-closed' };
  const deny =
    dword(state, RDP_KEYS.policy, 'fDenyTSConnections') ??
    dword(state, RDP_KEYS.terminalServer, 'fDenyTSConnections');
  if (deny !== 0) return { kind: 'refused', reason: 'rdp-disabled' };
  const termService = state.services.find((s) => s.name.toLowerCase() === 'termservice');
  if (termService?.status !== 'Running') return { kind: 'refused', reason: 'termservice-stopped' };
  return { kind: 'listening' };
}

/** False when the adapter that carries management (and RDP) traffic is not Up: the host is unreachable. */
export function isManagementAdapterUp(state: HostState): boolean {
  return state.netAdapters.filter((a) => a.carriesManagement).every((a) => a.status === 'Up');
}

/** Inbound TCP to `port` on the active profile: Block rules win, then Allow rules, then the profile default. */
function firewallAdmits(state: HostState, port: number): boolean {
  const active = state.firewall.activeProfile;
  const profile = state.firewall.profiles.find((p) => p.name === active);
  if (profile && !profile.enabled) return true;
  const covering = state.firewall.rules.filter(
    (r) =>
      r.enabled &&
      r.direction === 'Inbound' &&
      /^(tcp|any|6)$/i.test(r.protocol) &&
      profileCovers(r.profile, active) &&
      portCovers(r.localPort, port) &&
      appliesToTermService(r),
  );
  if (covering.some((r) => r.action === 'Block')) return false;
  if (covering.some((r) => r.action === 'Allow')) return true;
  return profile?.defaultInboundAction === 'Allow';
}

/** A rule restricted to another program or service (e.g. the shadowing rule, RdpSa.exe) does not admit RDP. */
function appliesToTermService(rule: FirewallRule): boolean {
  const program = typeof rule.program === 'string' ? rule.program.trim().toLowerCase() : 'any';
  const service = typeof rule.service === 'string' ? rule.service.trim().toLowerCase() : 'any';
  const programOk =
    program === 'any' ||
    program === '' ||
    /^(%systemroot%|c:\\windows)\\system32\\svchost\.exe$/.test(program);
  const serviceOk = service === 'any' || service === '' || service === '*' || service === 'termservice';
  return programOk && serviceOk;
}

function profileCovers(ruleProfile: string, active: string): boolean {
  if (/^any$/i.test(ruleProfile.trim())) return true;
  return ruleProfile.split(',').some((p) => p.trim().toLowerCase() === active.toLowerCase());
}

function portCovers(localPort: string, port: number): boolean {
  return localPort.split(',').some((part) => {
    const p = part.trim();
    if (/^any$/i.test(p)) return true;
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) return port >= Number(range[1]) && port <= Number(range[2]);
    return Number(p) === port;
  });
}

function judgeTls(state: HostState): TlsBehaviour | undefined {
  const cert = findListenerCertificate(state);
  if (!cert) return undefined;
  if (!cert.hasPrivateKey) return { kind: 'fail', reason: 'no-private-key' };
  if (cert.keyReadableByNetworkService === false) return { kind: 'fail', reason: 'key-unreadable' };
  const versions = TLS_KEYS.filter(([, key, byDefault]) => protocolEnabled(state, key, byDefault)).map(
    ([v]) => v,
  );
  if (versions.length === 0) return { kind: 'fail', reason: 'no-tls-version' };
  if (!cert.certPem || !cert.keyPem) return { kind: 'fail', reason: 'no-key-material' };
  return { kind: 'serve', certPem: cert.certPem, keyPem: cert.keyPem, thumbprint: cert.thumbprint, versions };
}

/** The listener certificate: the one bound by SSLCertificateSHA1Hash (My or Remote Desktop), else the self-signed one in Remote Desktop. */
export function findListenerCertificate(state: HostState): CertificateEntry | undefined {
  const bound = findRegistryValue(state, RDP_KEYS.rdpTcp, 'SSLCertificateSHA1Hash');
  const inStore = (name: string) =>
    Object.entries(state.certificates).find(([store]) => store.toLowerCase() === name.toLowerCase())?.[1] ??
    [];
  if (bound && typeof bound.value === 'string' && bound.value !== '') {
    const thumbprint = bound.value.toUpperCase();
    return [...inStore('My'), ...inStore('Remote Desktop')].find(
      (c) => c.thumbprint.toUpperCase() === thumbprint,
    );
  }
  const selfSigned = inStore('Remote Desktop').filter((c) => c.selfSigned !== false);
  return selfSigned.sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore))[0];
}

/**
 * SCHANNEL: a server protocol is off when its Server key has Enabled=0 or DisabledByDefault=1.
 * TLS 1.2 is on unless disabled; TLS 1.0/1.1 only when explicitly Enabled=1 (STATE.md models TLS 1.2).
 */
function protocolEnabled(state: HostState, name: string, byDefault: boolean): boolean {
  const key = `${RDP_KEYS.schannelProtocols}\\${name}\\Server`;
  const enabled = dword(state, key, 'Enabled');
  if (enabled === 0 || dword(state, key, 'DisabledByDefault') === 1) return false;
  return enabled === undefined ? byDefault : true;
}

/** Policy values override the RDP-Tcp ones (Group Policy wins). */
function effectiveSetting(state: HostState, name: string): number | undefined {
  return dword(state, RDP_KEYS.policy, name) ?? dword(state, RDP_KEYS.rdpTcp, name);
}

function dword(state: HostState, key: string, name: string): number | undefined {
  const value = findRegistryValue(state, key, name);
  if (value === undefined) return undefined;
  const n = Number(value.value);
  return Number.isFinite(n) ? n : undefined;
}
