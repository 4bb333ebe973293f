import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import { type Lab, startLab } from '../../src/lab/lab.js';
import {
  type Finding,
  namedCauses,
  openScriptSession,
  type ScriptSession,
  strongest,
} from './support/script-session.js';

interface Probe {
  stage: string;
  succeeded: boolean;
  tcp: { connected: boolean; refused: boolean; timedOut: boolean };
  negotiation: { selectedProtocol: number | null; failureCode: number | null; failure: string | null } | null;
  tls: {
    completed: boolean;
    certificate: { thumbprint: string; subject: string; expired: boolean; nameMatch: boolean } | null;
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

/** Starts the scenario's listener only (no remoting) and probes it the way the playbook does. */
async function probeScenario(
  scenario: string,
  params: Record<string, unknown> = {},
): Promise<{ probe: Probe; state: HostState }> {
  const lab: Lab = await startLab(scenario, { powershell: false });
  try {
    const host = lab.hosts[0];
    if (!host) throw new Error(`scenario ${scenario} has no host`);
    const state = JSON.parse(await readFile(host.statePath, 'utf8')) as HostState;
    const probe = await ps.result<Probe>('Test-RdpHandshake', {
      ComputerName: `${host.name}.${state.domain}`,
      Address: host.address,
      Port: host.port,
      TimeoutMs: 3000,
      ...params,
    });
    return { probe, state };
  } finally {
    await lab.stop();
  }
}

describe('server and client evidence in one run', () => {
  it('name the same expiry date and the same number of days for the listener certificate', async () => {
    const lab: Lab = await startLab('cert-expired', { powershell: false });
    const server = await openScriptSession({ lab: true, statePath: lab.hosts[0]!.statePath });
    try {
      const host = lab.hosts[0]!;
      const state = JSON.parse(await readFile(host.statePath, 'utf8')) as HostState;
      const probe = await ps.result<Probe>('Test-RdpHandshake', {
        ComputerName: `${host.name}.${state.domain}`,
        Address: host.address,
        Port: host.port,
        TimeoutMs: 3000,
      });
      const onServer = await server.result<{ findings: Finding[] }>('Test-RdpCertificate');
      const expiry = (findings: Finding[]) =>
        /expired (\d{4}-\d\d-\d\d), (\d+) days ago/
          .exec(strongest(findings, 'cert-expired')?.evidence ?? '')
          ?.slice(1);
      expect(expiry(onServer.findings)?.[1]).toBe('24');
      expect(expiry(probe.findings)).toEqual(expiry(onServer.findings));
    } finally {
      await server.close();
      await lab.stop();
    }
  });
});

describe('Test-RdpHandshake against the lab listener', () => {
  it('completes CredSSP negotiation and TLS on a healthy host and reads the listener certificate of its state', async () => {
    const { probe, state } = await probeScenario('healthy');
    const cert = state.certificates['Remote Desktop']?.[0];
    expect(probe.negotiation?.selectedProtocol).toBe(2);
    expect(probe.tls?.certificate).toMatchObject({
      thumbprint: cert?.thumbprint,
      subject: cert?.subject,
      expired: false,
      nameMatch: true,
    });
    expect(probe).toMatchObject({ stage: 'done', succeeded: true });
  });

  it('reads HYBRID_REQUIRED_BY_SERVER when a client without NLA meets a host that requires it', async () => {
    const { probe } = await probeScenario('healthy', { RequestedProtocols: 1 });
    expect(probe.negotiation).toMatchObject({ failureCode: 5, failure: 'HYBRID_REQUIRED_BY_SERVER' });
    expect(namedCauses(probe.findings)).toEqual(['nla-mismatch']);
  });

  it('says how long ago the listener certificate expired', async () => {
    const { probe } = await probeScenario('cert-expired');
    expect(probe.tls?.certificate?.expired).toBe(true);
    expect(strongest(probe.findings, 'cert-expired')?.evidence).toMatch(
      /expired \d{4}-\d\d-\d\d, 2[3-5] days ago/,
    );
  });

  it.each([
    ['security-layer-mismatch', 'x224', 'security-layer-mismatch'],
    ['tls-disabled', 'tls', 'tls-disabled'],
    ['cert-key-unreadable', 'tls', 'cert-key-unreadable'],
  ])('stops at the right stage for %s', async (scenario, stage, cause) => {
    const { probe } = await probeScenario(scenario);
    expect(probe.stage).toBe(stage);
    expect(probe.succeeded).toBe(false);
    expect(strongest(probe.findings, cause)?.confidence).toBeGreaterThan(0);
  });

  it.each([
    ['rdp-disabled', 'refused'],
    ['termservice-stopped', 'refused'],
    ['firewall-closed', 'timedOut'],
    ['port-unreachable', 'timedOut'],
  ] as const)('sees %s as a connection that is %s', async (scenario, how) => {
    const { probe } = await probeScenario(scenario);
    expect(probe.tcp.connected).toBe(false);
    expect(probe.tcp[how]).toBe(true);
  });
});
