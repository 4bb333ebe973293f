import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { findListenerCertificate } from '../../src/lab/rdp/rdp-server-model.js';
import { LAB_CA_SUBJECT } from '../../src/lab/scenario/certificates.js';
import { fromNow } from '../../src/lab/scenario/lab-time.js';
import { materializeCertificates } from '../../src/lab/scenario/materialize-state.js';
import { listScenarioNames, loadScenario } from '../../src/lab/scenario/scenario-loader.js';

const CAUSES = [
  'dns-mismatch',
  'port-unreachable',
  'rdp-disabled',
  'termservice-stopped',
  'wrong-port',
  'firewall-closed',
  'adapter-down',
  'cert-expired',
  'cert-key-unreadable',
  'security-layer-mismatch',
  'tls-disabled',
  'nla-mismatch',
];

describe('shipped scenarios', () => {
  it('ship a healthy host, one scenario per cause of the RDP playbook, and three combinations', async () => {
    const names = await listScenarioNames();
    const scenarios = await Promise.all(names.map(async (n) => (await loadScenario(n)).scenario));
    expect(names).toContain('healthy');
    expect(scenarios.find((s) => s.name === 'healthy')?.expectedCauses).toEqual([]);
    for (const cause of CAUSES)
      expect(
        scenarios.some((s) => s.expectedCauses.length === 1 && s.expectedCauses[0] === cause),
        cause,
      ).toBe(true);
    expect(scenarios.filter((s) => s.expectedCauses.length > 1).length).toBeGreaterThanOrEqual(3);
    for (const s of scenarios) for (const c of s.expectedCauses) expect(CAUSES).toContain(c);
  });

  it('apply their changes to the base state (firewall-closed disables exactly the RDP TCP rule)', async () => {
    const { state, baseState } = await loadScenario('firewall-closed');
    const rule = (s: typeof state) =>
      s.firewall.rules.find((r) => r.name === 'RemoteDesktop-UserMode-In-TCP');
    expect(rule(baseState)?.enabled).toBe(true);
    expect(rule(state)?.enabled).toBe(false);
  });

  it('resolve certificate times against the host clock', async () => {
    const { state } = await loadScenario('cert-expired');
    const cert = state.certificates['Remote Desktop']![0]!;
    expect(Date.parse(state.clock) - Date.parse(cert.notAfter)).toBe(24 * 86_400_000);
    expect(Math.abs(Date.parse(state.clock) - Date.now())).toBeLessThan(60_000);
    expect(cert.certPem).toBeUndefined();
  });
});

describe('scenario validation', () => {
  const write = async (text: string, name = 'broken') => {
    const dir = await mkdtemp(join(tmpdir(), 'psremedy-scenario-'));
    await writeFile(join(dir, `${name}.yaml`), text);
    return dir;
  };
  const problemsOf = async (text: string, name?: string) => {
    const dir = await write(text, name);
    const error = await loadScenario(name ?? 'broken', dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlaybookError);
    return (error as PlaybookError).problems.map(
      (p) => `${p.line}:${p.col} ${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`,
    );
  };
  const head = 'apiVersion: psremedy/v1\nkind: LabScenario\nname: broken\ntitle: t\n';

  it('names an unknown change operation with its position and the closest operation', async () => {
    const problems = await problemsOf(
      `${head}changes:\n  - setServce: { name: TermService, status: Stopped }\n`,
    );
    expect(problems).toEqual([
      '6:5 changes.0.setServce: unknown change "setServce" (did you mean "setService"?)',
    ]);
  });

  it('reports an unknown key inside a change and a bad value', async () => {
    const problems = await problemsOf(
      `${head}changes:\n  - setService: { name: TermService, state: Stopped }\n  - setNetAdapter: { name: Ethernet, status: Down }\n`,
    );
    expect(problems[0]).toMatch(/^6:38 changes\.0\.setService\.state: unknown key "state"/);
    expect(problems[1]).toMatch(/^7:46 changes\.1\.setNetAdapter\.status: /);
  });

  it('reports a change that names something the host does not have, listing what it has', async () => {
    const problems = await problemsOf(
      `${head}changes:\n  - setFirewallRule: { name: NoSuchRule, enabled: false }\n`,
    );
    expect(problems[0]).toMatch(
      /^6:22 changes\.0\.setFirewallRule: no firewall rule named "NoSuchRule" \(there are: RemoteDesktop-UserMode-In-TCP/,
    );
  });

  it('reports a missing title, a file name that differs from name:, and a bad time', async () => {
    const problems = await problemsOf(
      'apiVersion: psremedy/v1\nkind: LabScenario\nname: other\nchanges:\n  - setClock: yesterday\n',
      'mismatch',
    );
    expect(problems).toContain('1:1 title: missing required key "title"');
    expect(problems.some((p) => p.startsWith('5:15 changes.0.setClock') && p.includes('clock-30d'))).toBe(
      true,
    );
    const again = await problemsOf(
      `${head.replace('broken', 'other')}changes:\n  - setClock: yesterday\n`,
      'mismatch',
    );
    expect(again.some((p) => p.startsWith('3:7 name: the name "other" differs from the file name'))).toBe(
      true,
    );
    expect(again.some((p) => p.includes('changes.0.setClock') && p.includes('clock-30d'))).toBe(true);
  });

  it('suggests a scenario name when asked for one that does not exist', async () => {
    const error = await loadScenario('firewal-closed').catch((e: unknown) => e);
    expect((error as PlaybookError).problems[0]?.hint).toBe('did you mean "firewall-closed"?');
  });
});

describe('certificates a scenario describes', () => {
  it('are made real, and a bound certificate keeps its binding when a change re-makes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psremedy-scenario-'));
    await writeFile(
      join(dir, 'bound.yaml'),
      [
        'apiVersion: psremedy/v1',
        'kind: LabScenario',
        'name: bound',
        'title: a CA-issued certificate in My, bound, then expired',
        `base: ${join(process.cwd(), 'lab', 'hosts', 'healthy.json')}`,
        'changes:',
        '  - addCertificate: { store: My, subject: CN=rdp.corp.example, notBefore: clock-30d, notAfter: clock+300d, selfSigned: false, bind: true }',
        '  - setCertificate: { store: My, notAfter: clock-1d }',
      ].join('\n'),
    );
    const loaded = await loadScenario('bound', dir);
    await materializeCertificates(loaded.state, loaded.pendingCertificates);
    const cert = loaded.state.certificates.My![0]!;
    expect(cert.thumbprint).toBe(new X509Certificate(cert.certPem!).fingerprint.replaceAll(':', ''));
    expect(cert).toMatchObject({
      issuer: LAB_CA_SUBJECT,
      selfSigned: false,
    });
    expect(Date.parse(loaded.state.clock) - Date.parse(cert.notAfter)).toBe(86_400_000);
    expect(findListenerCertificate(loaded.state)?.thumbprint).toBe(cert.thumbprint);
  });

  it('moves a registry binding to the certificate a change re-made', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psremedy-scenario-'));
    const rdpTcp = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp';
    // A base pinned to one clock makes the same certificate on every load (the thumbprint covers its dates).
    const base = JSON.parse(await readFile(join(process.cwd(), 'lab', 'hosts', 'healthy.json'), 'utf8'));
    await writeFile(join(dir, 'pinned.json'), JSON.stringify({ ...base, clock: fromNow('clock') }));
    const scenario = (name: string, changes: string[]) =>
      writeFile(
        join(dir, `${name}.yaml`),
        [
          'apiVersion: psremedy/v1',
          'kind: LabScenario',
          `name: ${name}`,
          'title: the bound self-signed certificate expires',
          'base: ./pinned.json',
          'changes:',
          ...(changes.length ? changes : ['  - setClock: clock']),
        ].join('\n'),
      );
    await scenario('plain', []);
    const old = (await loadScenario('plain', dir)).state.certificates['Remote Desktop']![0]!.thumbprint;
    await scenario('rebound', [
      `  - setRegistryValue: { key: '${rdpTcp}', name: SSLCertificateSHA1Hash, type: Binary, value: ${old} }`,
      '  - setCertificate: { store: Remote Desktop, notAfter: clock-1d }',
    ]);
    const loaded = await loadScenario('rebound', dir);
    await materializeCertificates(loaded.state, loaded.pendingCertificates);
    const remade = loaded.state.certificates['Remote Desktop']![0]!;
    expect(remade.thumbprint).not.toBe(old);
    expect(findListenerCertificate(loaded.state)?.thumbprint).toBe(remade.thumbprint);
  });
});
