import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { NEG_FAILURE, PROTOCOL } from '../../src/lab/rdp/x224.js';
import { LAB_CA_SUBJECT, materializeCertificate } from '../../src/lab/scenario/certificates.js';
import { fromNow } from '../../src/lab/scenario/lab-time.js';
import { bindListenerCertificate } from '../../src/lab/scenario/state-patch.js';
import { probeRdp } from '../support/rdp-probe.js';
import {
  edited,
  KEYS,
  type ListenerFixture,
  scenarioState,
  startListenerFixture,
  withRegistry,
} from './listener-fixture.js';

const SSL_HYBRID = PROTOCOL.ssl | PROTOCOL.hybrid;
let healthy: HostState;
let lab: ListenerFixture;

beforeAll(async () => {
  healthy = await scenarioState('healthy');
  lab = await startListenerFixture(healthy);
});
afterAll(async () => lab?.close());

const noNla = () => withRegistry(healthy, KEYS.rdpTcp, { UserAuthentication: 0 });
const probe = (requestedProtocols?: number, extra: Partial<Parameters<typeof probeRdp>[0]> = {}) =>
  probeRdp({
    host: lab.address,
    port: 3389,
    timeoutMs: 2000,
    ...(requestedProtocols === undefined ? { legacy: true } : { requestedProtocols }),
    ...extra,
  });

describe('RDP negotiation answers as the state says (MS-RDPBCGR 2.2.1.2)', () => {
  const cases: Array<{ title: string; state: () => HostState; requested?: number; answer: object }> = [
    {
      title: 'selects CredSSP when NLA is required and offered',
      state: () => healthy,
      requested: SSL_HYBRID,
      answer: { kind: 'response', selectedProtocol: PROTOCOL.hybrid },
    },
    {
      title: 'prefers HYBRID_EX when the client offers it',
      state: () => healthy,
      requested: SSL_HYBRID | PROTOCOL.hybridEx,
      answer: { kind: 'response', selectedProtocol: PROTOCOL.hybridEx },
    },
    {
      title: 'fails HYBRID_REQUIRED_BY_SERVER when NLA is required and only TLS is offered',
      state: () => healthy,
      requested: PROTOCOL.ssl,
      answer: { kind: 'failure', failureCode: NEG_FAILURE.hybridRequiredByServer },
    },
    {
      title: 'selects TLS when NLA is off and the client offers TLS only',
      state: noNla,
      requested: PROTOCOL.ssl,
      answer: { kind: 'response', selectedProtocol: PROTOCOL.ssl },
    },
    {
      title: 'fails SSL_REQUIRED_BY_SERVER for an RDP-only client when the layer is TLS',
      state: noNla,
      requested: PROTOCOL.rdp,
      answer: { kind: 'failure', failureCode: NEG_FAILURE.sslRequiredByServer },
    },
    {
      title: 'fails SSL_NOT_ALLOWED_BY_SERVER when the layer is RDP and the client asks for TLS',
      state: () => withRegistry(healthy, KEYS.rdpTcp, { SecurityLayer: 0 }),
      requested: SSL_HYBRID,
      answer: { kind: 'failure', failureCode: NEG_FAILURE.sslNotAllowedByServer },
    },
    {
      title: 'selects standard RDP security when the layer is Negotiate and the client offers only RDP',
      state: () => withRegistry(noNla(), KEYS.rdpTcp, { SecurityLayer: 1 }),
      requested: PROTOCOL.rdp,
      answer: { kind: 'response', selectedProtocol: PROTOCOL.rdp },
    },
    {
      title: 'answers a legacy client without negotiation data',
      state: () => withRegistry(noNla(), KEYS.rdpTcp, { SecurityLayer: 1 }),
      answer: { kind: 'legacy' },
    },
    {
      title: 'lets a policy value override RDP-Tcp (policy turns NLA off)',
      state: () => withRegistry(healthy, KEYS.policy, { UserAuthentication: 0 }),
      requested: PROTOCOL.ssl,
      answer: { kind: 'response', selectedProtocol: PROTOCOL.ssl },
    },
    {
      title: 'fails SSL_CERT_NOT_ON_SERVER when the bound thumbprint is in no store',
      state: () => withRegistry(healthy, KEYS.rdpTcp, { SSLCertificateSHA1Hash: 'AB'.repeat(20) }),
      requested: SSL_HYBRID,
      answer: { kind: 'failure', failureCode: NEG_FAILURE.sslCertNotOnServer },
    },
  ];
  for (const c of cases) {
    it(c.title, async () => {
      await lab.setState(c.state());
      const result = await probe(c.requested);
      expect(result.answer).toMatchObject(c.answer);
    });
  }
});

describe('TLS after the negotiation', () => {
  it('serves the listener certificate of the state, whose thumbprint the state records', async () => {
    await lab.setState(healthy);
    const result = await probe(SSL_HYBRID);
    const cert = healthy.certificates['Remote Desktop']![0]!;
    expect(result).toMatchObject({
      stage: 'done',
      tls: { protocol: 'TLSv1.2', thumbprint: cert.thumbprint },
    });
    expect(new X509Certificate(cert.certPem!).fingerprint.replaceAll(':', '')).toBe(cert.thumbprint);
  });

  it('still completes the handshake with an expired certificate (the client decides)', async () => {
    const expired = await scenarioState('cert-expired');
    await lab.setState(expired);
    const result = await probe(SSL_HYBRID);
    expect(result.stage).toBe('done');
    expect(Date.parse(result.tls!.validTo)).toBeLessThan(Date.parse(expired.clock));
    expect(result.tls!.thumbprint).toBe(expired.certificates['Remote Desktop']![0]!.thumbprint);
  });

  it('serves a bound CA-issued certificate from My with another name', async () => {
    const custom = await materializeCertificate(
      {
        subject: 'CN=OLDNAME.corp.example',
        dnsNames: ['OLDNAME.corp.example'],
        notBefore: fromNow('clock-30d'),
        notAfter: fromNow('clock+730d'),
        hasPrivateKey: true,
        selfSigned: false,
      },
      'test-listener-custom',
    );
    const state = edited(healthy, (s) => {
      s.certificates.My = [custom];
      bindListenerCertificate(s, custom.thumbprint);
    });
    await lab.setState(state);
    const result = await probe(SSL_HYBRID);
    expect(result.tls).toMatchObject({
      thumbprint: custom.thumbprint,
      subjectAltName: 'DNS:OLDNAME.corp.example',
    });
    expect(result.tls!.issuer).toContain('PSRemedy Lab Root CA');
    expect(custom.issuer).toBe(LAB_CA_SUBJECT);
  });

  const tlsFailures: Array<{ title: string; state: () => Promise<HostState> | HostState }> = [
    {
      title: 'fails after the confirm when NETWORK SERVICE cannot read the key',
      state: () => scenarioState('cert-key-unreadable'),
    },
    {
      title: 'fails after the confirm when the certificate has no private key',
      state: () =>
        edited(healthy, (s) => {
          s.certificates['Remote Desktop']![0]!.hasPrivateKey = false;
        }),
    },
    {
      title: 'fails the handshake when TLS 1.2 is disabled under SCHANNEL',
      state: () => scenarioState('tls-disabled'),
    },
  ];
  for (const c of tlsFailures) {
    it(c.title, async () => {
      await lab.setState(await c.state());
      const result = await probe(SSL_HYBRID);
      expect(result.answer).toMatchObject({ kind: 'response', selectedProtocol: PROTOCOL.hybrid });
      expect(result).toMatchObject({ stage: 'tls', failure: 'tls-failed' });
    });
  }

  it('keeps TLS 1.0 and 1.1 on by default (Server 2022) when only TLS 1.2 is turned off', async () => {
    await lab.setState(withRegistry(healthy, KEYS.tls12, { Enabled: 0 }));
    expect(await probe(SSL_HYBRID)).toMatchObject({ stage: 'tls', failure: 'tls-failed' });
    expect((await probe(SSL_HYBRID, { minTlsVersion: 'TLSv1' })).tls?.protocol).toBe('TLSv1.1');
  });

  it('offers only TLS 1.0 when TLS 1.2 and 1.1 are off', async () => {
    const state = withRegistry(withRegistry(healthy, KEYS.tls12, { Enabled: 0 }), KEYS.tls11, { Enabled: 0 });
    await lab.setState(state);
    expect((await probe(SSL_HYBRID, { minTlsVersion: 'TLSv1' })).tls?.protocol).toBe('TLSv1');
  });
});

describe('reachability', () => {
  it('refuses the connection when TermService is stopped', async () => {
    await lab.setState(await scenarioState('termservice-stopped'));
    expect(await probe(SSL_HYBRID)).toMatchObject({ stage: 'tcp', failure: 'refused' });
  });

  it('refuses the connection when RDP is disabled', async () => {
    await lab.setState(await scenarioState('rdp-disabled'));
    expect(await probe(SSL_HYBRID)).toMatchObject({ stage: 'tcp', failure: 'refused' });
  });

  it('lets the connection time out when the firewall rule is closed', async () => {
    await lab.setState(await scenarioState('firewall-closed'));
    const result = await probe(SSL_HYBRID, { timeoutMs: 700 });
    expect(result).toMatchObject({ stage: 'tcp', failure: 'timeout' });
    expect(result.durationMs).toBeGreaterThanOrEqual(690);
  });

  it('lets the connection time out when the management adapter is down', async () => {
    await lab.setState(await scenarioState('adapter-down'));
    expect(await probe(SSL_HYBRID, { timeoutMs: 500 })).toMatchObject({ stage: 'tcp', failure: 'timeout' });
  });

  it('listens on the new port only after PortNumber changes', async () => {
    const state = edited(withRegistry(healthy, KEYS.rdpTcp, { PortNumber: 3390 }), (s) => {
      s.firewall.rules[0]!.localPort = '3389,3390';
    });
    await lab.setState(state);
    expect(lab.listener.status()).toMatchObject({ mode: 'listening', port: 3390 });
    expect(await probe(SSL_HYBRID)).toMatchObject({ stage: 'tcp', failure: 'refused' });
    expect(await probe(SSL_HYBRID, { port: 3390 })).toMatchObject({ stage: 'done' });
  });
});

describe('following the state live', () => {
  it('notices a state file rewritten by someone else without being told', async () => {
    await lab.setState(await scenarioState('firewall-closed'));
    await (await import('../../src/lab/host-state.js')).writeHostState(lab.statePath, healthy);
    const deadline = Date.now() + 3000;
    while (lab.listener.status().mode !== 'listening' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await probe(SSL_HYBRID)).toMatchObject({ stage: 'done' });
  });

  it('answers each connection from the state read at that moment', async () => {
    await lab.setState(healthy);
    expect((await probe(PROTOCOL.ssl)).answer).toMatchObject({ kind: 'failure' });
    await (await import('../../src/lab/host-state.js')).writeHostState(lab.statePath, noNla());
    expect((await probe(PROTOCOL.ssl)).answer).toMatchObject({
      kind: 'response',
      selectedProtocol: PROTOCOL.ssl,
    });
  });

  it('drops a port the network path blocks while the host is healthy', async () => {
    const blocked = await startListenerFixture(healthy, [3389]);
    try {
      expect(blocked.listener.status()).toMatchObject({ mode: 'dropping', reason: 'port-unreachable' });
      expect(await probeRdp({ host: blocked.address, port: 3389, timeoutMs: 500 })).toMatchObject({
        failure: 'timeout',
      });
    } finally {
      await blocked.close();
    }
  });
});
