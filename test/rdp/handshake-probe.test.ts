import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeServer,
  negotiationFailure,
  negotiationResponse,
  startFakeRdpServer,
} from './support/fake-rdp-server.js';
import {
  type Finding,
  namedCauses,
  openScriptSession,
  type ScriptSession,
  strongest,
} from './support/script-session.js';
import { findFreePort, startXrdp, whyXrdpUnavailable, type XrdpServer } from './support/xrdp.js';

interface Probe {
  stage: string;
  succeeded: boolean;
  tcp: { connected: boolean; refused: boolean; timedOut: boolean };
  negotiation: {
    confirmed: boolean;
    type: number | null;
    selectedProtocol: number | null;
    failureCode: number | null;
    failure: string | null;
    error: string | null;
  } | null;
  tls: {
    completed: boolean;
    protocol: string | null;
    error: string | null;
    certificate: {
      subject: string;
      thumbprint: string;
      selfSigned: boolean;
      nameMatch: boolean;
      expired: boolean;
      notAfter: string;
    } | null;
  } | null;
  findings: Finding[];
}

let ps: ScriptSession;
beforeAll(async () => {
  ps = await openScriptSession();
});
afterAll(async () => {
  await ps?.close();
});

const probe = (params: Record<string, unknown>) =>
  ps.result<Probe>('Test-RdpHandshake', {
    ComputerName: 'srv01.test',
    Address: '127.0.0.1',
    TimeoutMs: 3000,
    ...params,
  });

const unavailable = whyXrdpUnavailable();
if (unavailable) console.warn(`skipping the xrdp probe tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('Test-RdpHandshake against a real xrdp', () => {
  let negotiate: XrdpServer;
  let rdpOnly: XrdpServer;
  beforeAll(async () => {
    [negotiate, rdpOnly] = await Promise.all([
      startXrdp('negotiate', 'srv01.test'),
      startXrdp('rdp', 'srv01.test'),
    ]);
  });
  afterAll(() => {
    negotiate?.stop();
    rdpOnly?.stop();
  });

  it('completes X.224 and TLS and reads the certificate xrdp serves', async () => {
    const result = await probe({ Port: negotiate.port });
    expect(result.negotiation).toMatchObject({ confirmed: true, type: 2, selectedProtocol: 1 });
    expect(result.tls?.completed).toBe(true);
    expect(result.tls?.certificate).toMatchObject({
      subject: negotiate.subject,
      thumbprint: negotiate.thumbprint,
      selfSigned: true,
      nameMatch: true,
      expired: false,
    });
    expect(result).toMatchObject({ stage: 'done', succeeded: true });
    expect(namedCauses(result.findings, 0.01)).toEqual([]);
    expect(strongest(result.findings, 'cert-expired')?.evidence).toMatch(/valid until \d{4}-\d\d-\d\d/);
  });

  it('reports a name mismatch when the admin uses another name than the certificate', async () => {
    const result = await probe({ Port: negotiate.port, ComputerName: 'other.test' });
    expect(result.tls?.certificate?.nameMatch).toBe(false);
  });

  it('blames the security layer when the server picks Standard RDP Security over TLS', async () => {
    const result = await probe({ Port: rdpOnly.port });
    expect(result.negotiation).toMatchObject({ confirmed: true, type: 2, selectedProtocol: 0 });
    expect(result.tls).toBeNull();
    expect(result.succeeded).toBe(false);
    expect(namedCauses(result.findings)).toEqual(['security-layer-mismatch']);
  });
});

describe('Test-RdpHandshake against edge cases', () => {
  const servers: FakeServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const fake = async (reply: Buffer | null) => {
    const server = await startFakeRdpServer(reply);
    servers.push(server);
    return server.port;
  };

  it('tells a refused connection apart and rules out the network path', async () => {
    const result = await probe({ Port: await findFreePort() });
    expect(result.tcp).toMatchObject({ connected: false, refused: true, timedOut: false });
    expect(strongest(result.findings, 'termservice-stopped')?.confidence).toBeGreaterThan(0);
    expect(strongest(result.findings, 'firewall-closed')?.confidence).toBe(0);
  });

  it.each([
    [5, 'HYBRID_REQUIRED_BY_SERVER', 'nla-mismatch'],
    [2, 'SSL_NOT_ALLOWED_BY_SERVER', 'security-layer-mismatch'],
  ])('names failure code %i (%s) and blames %s', async (code, name, cause) => {
    const result = await probe({ Port: await fake(negotiationFailure(code)), RequestedProtocols: 1 });
    expect(result.negotiation).toMatchObject({ confirmed: true, type: 3, failureCode: code, failure: name });
    expect(namedCauses(result.findings)).toEqual([cause]);
    expect(strongest(result.findings, cause)?.evidence).toContain(`0x${code}`);
  });

  it('reports the certificate causes for SSL_CERT_NOT_ON_SERVER without claiming either', async () => {
    const result = await probe({ Port: await fake(negotiationFailure(3)) });
    expect(strongest(result.findings, 'cert-expired')?.confidence).toBeGreaterThan(0);
    expect(strongest(result.findings, 'cert-key-unreadable')?.confidence).toBeGreaterThan(0);
  });

  it('reports TLS failing after the server selected TLS', async () => {
    const result = await probe({ Port: await fake(negotiationResponse(1)), TimeoutMs: 1500 });
    expect(result.stage).toBe('tls');
    expect(result.tls?.completed).toBe(false);
    expect(result.tls?.error).toBeTruthy();
    expect(strongest(result.findings, 'tls-disabled')?.confidence).toBeGreaterThan(0);
  });

  it('gives up after the timeout when the server accepts TCP but never answers X.224', async () => {
    const started = Date.now();
    const result = await probe({ Port: await fake(null), TimeoutMs: 800 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.tcp.connected).toBe(true);
    expect(result.negotiation?.confirmed).toBe(false);
    expect(result.negotiation?.error).toMatch(/no X\.224 answer within 800 ms/);
  });

  it('rejects an answer that is not a TPKT packet', async () => {
    const result = await probe({ Port: await fake(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')) });
    expect(result.negotiation?.confirmed).toBe(false);
    expect(result.negotiation?.error).toMatch(/not a TPKT header/);
  });
});
