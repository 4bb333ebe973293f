import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HEALTHY_STATE, healthyStateText, LabShell, readState } from './lab-shell.js';

const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../lab/schema/host-state.schema.json', import.meta.url)), 'utf8'),
);

describe('host state format', () => {
  it('ships a healthy host that the schema accepts and whose certificate fields match its PEM', async () => {
    const validate = compileSchema();
    const base = readState(HEALTHY_STATE);
    expect(validate(base), JSON.stringify(validate.errors)).toBe(true);
    const state = JSON.parse(await healthyStateText());
    expect(validate(state), JSON.stringify(validate.errors)).toBe(true);
    const [cert] = state.certificates['Remote Desktop'];
    const x509 = new X509Certificate(cert.certPem);
    expect(createHash('sha1').update(x509.raw).digest('hex').toUpperCase()).toBe(cert.thumbprint);
    expect(new Date(x509.validTo).toISOString()).toBe(new Date(cert.notAfter).toISOString());
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it('dates the healthy host from the real clock: the certificate is valid now, events are in the past', async () => {
    const state = JSON.parse(await healthyStateText());
    const now = Date.now();
    expect(Math.abs(Date.parse(state.clock) - now)).toBeLessThan(60_000);
    const [cert] = state.certificates['Remote Desktop'];
    expect(Date.parse(cert.notBefore)).toBeLessThan(now);
    expect(Date.parse(cert.notAfter)).toBeGreaterThan(now + 30 * 86_400_000);
    expect(new Date(new X509Certificate(cert.certPem).validTo).getTime()).toBe(Date.parse(cert.notAfter));
    for (const event of state.events)
      expect(Date.parse(event.timeCreated)).toBeLessThanOrEqual(Date.parse(state.clock));
  });

  it('rejects a registry value whose data does not fit its type', () => {
    const state = readState(HEALTHY_STATE);
    state.registry['HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server'].fDenyTSConnections = {
      type: 'DWord',
      value: 'zero',
    };
    const validate = compileSchema();
    expect(validate(state)).toBe(false);
  });
});

/** The state schema, with date-time checked as a date Date.parse understands. */
function compileSchema() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  ajv.addFormat('date-time', (text: string) => !Number.isNaN(Date.parse(text)));
  return ajv.compile(schema);
}

let lab: LabShell;
let listener: Server;
let port = 0;
beforeAll(async () => {
  lab = await LabShell.start('client', { PSREMEDY_LAB_CONNECT_TIMEOUT_MS: '1000' });
  listener = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  listener?.close();
  await lab?.close();
});
beforeEach(() =>
  lab.resetState((s) => {
    s.client.hostsFile = { 'srv01.corp.example': ['127.0.0.3'] };
  }),
);

describe('client-side lab cmdlets', () => {
  it('resolves from the hosts file first, from DNS with -NoHostsFile, and fails NXDOMAIN like the DnsClient module', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $h = Resolve-DnsName -Name srv01.corp.example -Type A
      $d = Resolve-DnsName -Name SRV01.corp.example -Type A -DnsOnly -NoHostsFile
      Resolve-DnsName -Name nohost.corp.example -ErrorAction SilentlyContinue -ErrorVariable e
      @{ hosts = $h.IPAddress; dns = $d.IP4Address; type = $d.PSTypeNames[0]; section = $d.Section
         fqid = $e[0].FullyQualifiedErrorId; message = $e[0].Exception.Message; category = [string]$e[0].CategoryInfo.Category; code = $e[0].Exception.NativeErrorCode }`);
    expect(v).toEqual({
      hosts: '127.0.0.3',
      dns: '127.0.0.2',
      type: 'Microsoft.DnsClient.Commands.DnsRecord_A',
      section: 'Answer',
      fqid: 'DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName',
      message: 'nohost.corp.example : DNS name does not exist',
      category: 'ResourceUnavailable',
      code: 9003,
    });
  });

  it('opens a real TCP connection to the resolved address and reports failure with a warning', async () => {
    lab.resetState();
    const v = await lab.value<Record<string, unknown>>(`
      $ok = Test-NetConnection -ComputerName SRV01.corp.example -Port ${port}
      $closed = Test-NetConnection -ComputerName SRV01.corp.example -Port 1 -WarningAction SilentlyContinue -WarningVariable w
      @{ ok = $ok.TcpTestSucceeded; type = $ok.PSTypeNames[0]; remote = [string]$ok.RemoteAddress; port = $ok.RemotePort; resolved = $ok.NameResolutionSucceeded
         closed = $closed.TcpTestSucceeded; warning = [string]$w[0]
         quiet = Test-NetConnection SRV01.corp.example -Port ${port} -InformationLevel Quiet }`);
    expect(v).toEqual({
      ok: true,
      type: 'TestNetConnectionResult',
      remote: '127.0.0.2',
      port,
      resolved: true,
      closed: false,
      warning: 'TCP connect to (127.0.0.2 : 1) failed',
      quiet: true,
    });
  });
});
