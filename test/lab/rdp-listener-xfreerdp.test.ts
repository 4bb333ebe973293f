import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostState } from '../../src/lab/host-state.js';
import {
  KEYS,
  type ListenerFixture,
  scenarioState,
  startListenerFixture,
  withRegistry,
} from './listener-fixture.js';
import { type FreeRdpRun, missingCommand, runXfreerdp, startXvfb } from './real-peers.js';

const missing = missingCommand('xfreerdp', 'Xvfb');
if (missing)
  console.warn(
    `skipping the xfreerdp tests: ${missing} is not installed (apt-get install freerdp2-x11 xvfb)`,
  );

/**
 * FreeRDP 2 as a real client: each lab host (its own listener) is connected to once, all at the
 * same time, because the timed-out case takes FreeRDP's fixed 15 s connect timeout.
 */
describe.skipIf(missing !== undefined)(
  'xfreerdp sees a lab host as it would see Windows in the same state',
  () => {
    const runs = new Map<string, FreeRdpRun>();
    const states = new Map<string, HostState>();
    const fixtures: ListenerFixture[] = [];
    let stopXvfb = () => {};

    beforeAll(async () => {
      const xvfb = await startXvfb();
      stopXvfb = xvfb.stop;
      const healthy = await scenarioState('healthy');
      const noNla = withRegistry(healthy, KEYS.rdpTcp, { UserAuthentication: 0 });
      const expired = withRegistry(await scenarioState('cert-expired'), KEYS.rdpTcp, {
        UserAuthentication: 0,
      });
      const cases: Array<[string, HostState, string[]]> = [
        ['nla-required-tls-client', healthy, ['/sec:tls', '/cert:ignore']],
        ['nla-client', healthy, ['/sec:nla', '/cert:ignore']],
        ['tls', noNla, ['/sec:tls', '/cert:tofu']],
        ['expired', expired, ['/sec:tls', '/cert:ignore']],
        ['rdp-layer', withRegistry(noNla, KEYS.rdpTcp, { SecurityLayer: 0 }), ['/sec:tls', '/cert:ignore']],
        [
          'key-unreadable',
          withRegistry(await scenarioState('cert-key-unreadable'), KEYS.rdpTcp, { UserAuthentication: 0 }),
          ['/sec:tls', '/cert:ignore'],
        ],
        ['refused', await scenarioState('termservice-stopped'), ['/sec:tls', '/cert:ignore']],
        ['timeout', await scenarioState('firewall-closed'), ['/sec:tls', '/cert:ignore']],
      ];
      await Promise.all(
        cases.map(async ([name, state, args]) => {
          const fixture = await startListenerFixture(state);
          fixtures.push(fixture);
          states.set(name, state);
          runs.set(name, await runXfreerdp(xvfb.display, fixture.address, 3389, args));
        }),
      );
    }, 120_000);

    afterAll(async () => {
      stopXvfb();
      await Promise.all(fixtures.map((f) => f.close()));
    });

    const run = (name: string) => runs.get(name)!;

    it('fails with HYBRID_REQUIRED_BY_SERVER when NLA is required and the client offers TLS only', () => {
      expect(run('nla-required-tls-client').log).toContain('HYBRID_REQUIRED_BY_SERVER');
      expect(run('nla-required-tls-client').exitCode).not.toBe(0);
    });

    it('negotiates NLA and reaches CredSSP when the client offers it', () => {
      expect(run('nla-client').log).toContain('Negotiated NLA security');
      expect(run('nla-client').log).toContain('CONNECTION_STATE_NLA');
    });

    it('completes TLS and stores the certificate whose thumbprint the state holds', async () => {
      expect(run('tls').log).toContain('CONNECTION_STATE_NEGO --> CONNECTION_STATE_MCS_CONNECT');
      const knownHosts = await readFile(join(run('tls').home, '.config', 'freerdp', 'known_hosts2'), 'utf8');
      const cert = states.get('tls')!.certificates['Remote Desktop']![0]!;
      expect(knownHosts.toLowerCase()).toContain(
        new X509Certificate(cert.certPem!).fingerprint256.toLowerCase(),
      );
    });

    it('still connects through TLS with an expired certificate and /cert:ignore', () => {
      expect(run('expired').log).toContain('CONNECTION_STATE_NEGO --> CONNECTION_STATE_MCS_CONNECT');
    });

    it('fails with SSL_NOT_ALLOWED_BY_SERVER when the security layer is RDP', () => {
      expect(run('rdp-layer').log).toContain('SSL_NOT_ALLOWED_BY_SERVER');
    });

    it('fails in the TLS handshake after a good negotiation when the key is unreadable', () => {
      const log = run('key-unreadable').log;
      expect(log).toContain('Negotiated TLS security');
      expect(log).not.toContain('CONNECTION_STATE_MCS_CONNECT');
      expect(run('key-unreadable').exitCode).not.toBe(0);
    });

    it('is refused at once when TermService is stopped, and times out when the firewall drops', () => {
      const refused = run('refused');
      const timedOut = run('timeout');
      expect(refused.log).not.toContain('RDP_NEG');
      expect(refused.log).toContain('ERRCONNECT_CONNECT_TRANSPORT_FAILED');
      expect(connectToExitMs(refused.log)).toBeLessThan(3000);
      expect(timedOut.log).toContain('ERRCONNECT_CONNECT_FAILED');
      expect(connectToExitMs(timedOut.log)).toBeGreaterThan(10_000);
    });
  },
);

/** From FreeRDP's "connecting to peer" to its exit status, by the log's own timestamps (startup time excluded). */
function connectToExitMs(log: string): number {
  const at = (marker: string) => {
    const m = new RegExp(
      `\\[(\\d+):(\\d+):(\\d+):(\\d+)\\] \\[[^\\]]*\\] \\[[^\\]]*\\]\\[[^\\]]*\\] - ${marker}`,
    ).exec(log);
    if (!m) throw new Error(`xfreerdp log has no "${marker}" line`);
    const [h, min, sec, ms] = m.slice(1).map(Number) as [number, number, number, number];
    return ((h * 60 + min) * 60 + sec) * 1000 + ms;
  };
  return at('Authentication only, exit status') - at('connecting to peer');
}
