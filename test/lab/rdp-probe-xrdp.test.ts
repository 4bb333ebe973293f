import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEG_FAILURE, PROTOCOL } from '../../src/lab/rdp/x224.js';
import { materializeCertificate } from '../../src/lab/scenario/certificates.js';
import { fromNow } from '../../src/lab/scenario/lab-time.js';
import { type ProbeResult, probeRdp } from '../support/rdp-probe.js';
import { freePort, missingCommand, stopChild, waitForPort } from './real-peers.js';

const missing = missingCommand('xrdp');
if (missing) console.warn('skipping the xrdp tests: xrdp is not installed (apt-get install xrdp)');

/** The lab's own handshake client must read a real RDP server correctly, or the listener tests prove nothing. */
describe.skipIf(missing !== undefined)('the lab handshake client against real xrdp', () => {
  let dir = '';
  const servers: ChildProcess[] = [];
  const ports: Record<string, number> = {};
  let thumbprint = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psremedy-xrdp-'));
    const cert = await materializeCertificate(
      {
        subject: 'CN=xrdp.lab.test',
        dnsNames: ['xrdp.lab.test'],
        notBefore: fromNow('clock-30d'),
        notAfter: fromNow('clock+1500d'),
        hasPrivateKey: true,
      },
      'test-xrdp',
    );
    thumbprint = cert.thumbprint;
    await writeFile(join(dir, 'cert.pem'), cert.certPem!);
    await writeFile(join(dir, 'key.pem'), cert.keyPem!, { mode: 0o600 });
    const template = await readFile('/etc/xrdp/xrdp.ini', 'utf8');
    for (const layer of ['negotiate', 'rdp', 'tls']) {
      const port = await freePort();
      const ini = template
        .replace(/^port=3389$/m, `port=tcp://127.0.0.1:${port}`)
        .replace(/^security_layer=.*$/m, `security_layer=${layer}`)
        .replace(/^certificate=.*$/m, `certificate=${join(dir, 'cert.pem')}`)
        .replace(/^key_file=.*$/m, `key_file=${join(dir, 'key.pem')}`);
      await writeFile(join(dir, `${layer}.ini`), ini);
      servers.push(spawn('xrdp', ['--nodaemon', '--config', join(dir, `${layer}.ini`)], { stdio: 'ignore' }));
      ports[layer] = port;
      await waitForPort(port);
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopChild));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const probe = (layer: string, requestedProtocols: number): Promise<ProbeResult> =>
    probeRdp({ host: '127.0.0.1', port: ports[layer]!, requestedProtocols, timeoutMs: 3000 });

  it('reads TLS selected and the configured certificate from xrdp with security_layer=negotiate', async () => {
    const result = await probe('negotiate', PROTOCOL.ssl | PROTOCOL.hybrid);
    expect(result.answer).toMatchObject({ kind: 'response', selectedProtocol: PROTOCOL.ssl });
    expect(result).toMatchObject({ stage: 'done', tls: { thumbprint, subjectAltName: 'DNS:xrdp.lab.test' } });
  });

  it('reads standard RDP security selected from xrdp with security_layer=rdp', async () => {
    const result = await probe('rdp', PROTOCOL.ssl | PROTOCOL.hybrid);
    expect(result).toMatchObject({
      stage: 'done',
      answer: { kind: 'response', selectedProtocol: PROTOCOL.rdp },
    });
    expect(result.tls).toBeUndefined();
  });

  it('reads a negotiation failure from xrdp with security_layer=tls when only RDP is offered', async () => {
    const result = await probe('tls', PROTOCOL.rdp);
    expect(result.answer).toEqual({ kind: 'failure', failureCode: NEG_FAILURE.sslRequiredByServer });
  });
});
