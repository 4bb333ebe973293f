import { type CertificateEntry, findRegistryValue, type HostState } from '../host-state.js';
import { arrivalAdapter, clientAddress, judgeInbound } from './firewall-model.js';
import { isKeyReadableByNetworkService } from './key-access.js';
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
  | {
      kind: 'refused';
      reason: 'rdp-disabled' | 'termservice-stopped' | 'listener-disabled' | 'listener-on-other-adapter';
    }
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

/**
 * SCHANNEL server protocols the lab serves, and whether each is on when its key says nothing, by
 * Windows build. Microsoft's table "Protocols in TLS/SSL (Schannel SSP)" (MicrosoftDocs/win32
 * desktop-src/SecAuthN/protocols-in-tls-ssl--schannel-ssp-.md) lists TLS 1.0, 1.1 and 1.2 Server
 * as Enabled from Windows Server 2012 through Windows Server 2016 (build 14393); Server 2019
 * (17763) and 2022 (20348) keep those defaults (the Schannel overview's deprecation note names only
 * Windows 11 Insider builds and later). Builds after 20348 are treated as having 1.0/1.1 off.
 */
const TLS_KEYS: Array<[TlsVersion, string, (build: number) => boolean]> = [
  ['TLSv1', 'TLS 1.0', (build) => build <= 20348],
  ['TLSv1.1', 'TLS 1.1', (build) => build <= 20348],
  ['TLSv1.2', 'TLS 1.2', () => true],
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
  const remoteAddress = clientAddress(state);
  const verdict = judgeInbound(state, { protocol: 'TCP', port, remoteAddress, authenticated: false });
  if (!verdict.admitted) return { kind: 'dropped', reason: 'firewall-closed' };
  const deny =
    dword(state, RDP_KEYS.policy, 'fDenyTSConnections') ??
    dword(state, RDP_KEYS.terminalServer, 'fDenyTSConnections');
  if (deny !== 0) return { kind: 'refused', reason: 'rdp-disabled' };
  const termService = state.services.find((s) => s.name.toLowerCase() === 'termservice');
  if (termService?.status !== 'Running') return { kind: 'refused', reason: 'termservice-stopped' };
  // The RDP-Tcp listener's own switches: off, or bound to one adapter (LANA) the client does not reach.
  if (dword(state, RDP_KEYS.rdpTcp, 'fEnableWinStation') === 0)
    return { kind: 'refused', reason: 'listener-disabled' };
  const lana = dword(state, RDP_KEYS.rdpTcp, 'LanAdapter') ?? 0;
  if (lana !== 0 && arrivalAdapter(state, remoteAddress)?.lanaId !== lana)
    return { kind: 'refused', reason: 'listener-on-other-adapter' };
  return { kind: 'listening' };
}

/** False when the adapter that carries management (and RDP) traffic is not Up: the host is unreachable. */
export function isManagementAdapterUp(state: HostState): boolean {
  return state.netAdapters.filter((a) => a.carriesManagement).every((a) => a.status === 'Up');
}

function judgeTls(state: HostState): TlsBehaviour | undefined {
  const cert = findServedCertificate(state);
  if (!cert) return undefined;
  if (!cert.hasPrivateKey) return { kind: 'fail', reason: 'no-private-key' };
  if (!isKeyReadableByNetworkService(cert)) return { kind: 'fail', reason: 'key-unreadable' };
  const build = Number(findRegistryValue(state, RDP_KEYS.currentVersion, 'CurrentBuild')?.value ?? 20348);
  const versions = TLS_KEYS.filter(([, key, byDefault]) =>
    protocolEnabled(state, key, byDefault(Number.isFinite(build) ? build : 20348)),
  ).map(([v]) => v);
  if (versions.length === 0) return { kind: 'fail', reason: 'no-tls-version' };
  if (!cert.certPem || !cert.keyPem) return { kind: 'fail', reason: 'no-key-material' };
  return { kind: 'serve', certPem: cert.certPem, keyPem: cert.keyPem, thumbprint: cert.thumbprint, versions };
}

/** The listener certificate: the one bound by SSLCertificateSHA1Hash (My or Remote Desktop), else the GPO template's, else the self-signed one in Remote Desktop. */
export function findListenerCertificate(state: HostState): CertificateEntry | undefined {
  const bound = findRegistryValue(state, RDP_KEYS.rdpTcp, 'SSLCertificateSHA1Hash');
  if (bound && typeof bound.value === 'string' && bound.value !== '') {
    const thumbprint = bound.value.toUpperCase();
    return [...inStore(state, 'My'), ...inStore(state, 'Remote Desktop')].find(
      (c) => c.thumbprint.toUpperCase() === thumbprint,
    );
  }
  // Group Policy's "Server authentication certificate template": the auto-enrolled certificate in My.
  const template = findRegistryValue(state, RDP_KEYS.policy, 'CertificateTemplateName')?.value;
  if (typeof template === 'string' && template !== '') {
    const enrolled = newestFirst(inStore(state, 'My').filter((c) => c.template === template))[0];
    if (enrolled) return enrolled;
  }
  return findSelfSignedCertificate(state);
}

/**
 * The certificate TLS actually presents. A custom-bound certificate whose key the service cannot
 * use is replaced by the self-signed one: "The default certificate will be used" (event 1055,
 * Microsoft's Event ID 1055 page for Windows Server 2008 R2 Terminal Services).
 */
export function findServedCertificate(state: HostState): CertificateEntry | undefined {
  const listener = findListenerCertificate(state);
  const selfSigned = findSelfSignedCertificate(state);
  if (
    listener &&
    listener !== selfSigned &&
    (!listener.hasPrivateKey || !isKeyReadableByNetworkService(listener))
  )
    return selfSigned ?? listener;
  return listener;
}

function findSelfSignedCertificate(state: HostState): CertificateEntry | undefined {
  return newestFirst(inStore(state, 'Remote Desktop').filter((c) => c.selfSigned !== false))[0];
}

function newestFirst(certs: CertificateEntry[]): CertificateEntry[] {
  return [...certs].sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore));
}

function inStore(state: HostState, name: string): CertificateEntry[] {
  return (
    Object.entries(state.certificates).find(([store]) => store.toLowerCase() === name.toLowerCase())?.[1] ??
    []
  );
}

/**
 * SCHANNEL (Microsoft's "TLS registry settings"): a server protocol is off when its Server key has
 * Enabled=0 or DisabledByDefault=1; a key or value that is absent leaves the OS default.
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
