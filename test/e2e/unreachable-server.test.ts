import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnreachableReason } from '../../src/core/unreachable.js';
import type { EngineEvent, StepEndEvent, SummaryEvent } from '../../src/engine/events.js';
import { openSilentPort, type SilentPort } from '../../src/lab/rdp/silent-port.js';
import { materializeCertificate } from '../../src/lab/scenario/certificates.js';
import { freePort, missingCommand, stopChild, waitForPort } from '../lab/real-peers.js';
import { cli, findRun } from './run-cli-support.js';

const RDP_PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const CONNECT_TIMEOUT_MS = 5000;
const missing = missingCommand('xrdp');
if (missing)
  console.warn('skipping the unreachable-server tests: xrdp is not installed (apt-get install xrdp)');

/**
 * A real RDP server with no management channel at all: Debian's xrdp presenting an expired
 * certificate, no WinRM, no sshd. The run must end promptly with the client's diagnosis.
 */
describe.skipIf(missing !== undefined)('a real RDP server that psremedy cannot manage (xrdp)', () => {
  let dir = '';
  let xrdp: ChildProcess | undefined;
  let rdpPort = 0;
  let closedPort = 0;
  let silentPort = 0;
  let silent: SilentPort | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psremedy-unmanaged-'));
    const cert = await materializeCertificate(
      {
        subject: 'CN=SRV01',
        dnsNames: ['SRV01'],
        notBefore: '2024-02-01T00:00:00Z',
        notAfter: '2025-02-01T00:00:00Z',
        hasPrivateKey: true,
      },
      'unmanaged-xrdp',
    );
    await writeFile(join(dir, 'cert.pem'), cert.certPem!);
    await writeFile(join(dir, 'key.pem'), cert.keyPem!, { mode: 0o600 });
    rdpPort = await freePort();
    const ini = (await readFile('/etc/xrdp/xrdp.ini', 'utf8'))
      .replace(/^port=3389$/m, `port=tcp://127.0.0.1:${rdpPort}`)
      .replace(/^security_layer=.*$/m, 'security_layer=negotiate')
      .replace(/^certificate=.*$/m, `certificate=${join(dir, 'cert.pem')}`)
      .replace(/^key_file=.*$/m, `key_file=${join(dir, 'key.pem')}`);
    await writeFile(join(dir, 'xrdp.ini'), ini);
    xrdp = spawn('xrdp', ['--nodaemon', '--config', join(dir, 'xrdp.ini')], { stdio: 'ignore' });
    await waitForPort(rdpPort);
    closedPort = await freePort();
    silentPort = await freePort();
    silent = await openSilentPort('127.0.0.1', silentPort);
  });

  afterAll(async () => {
    await silent?.close();
    if (xrdp) await stopChild(xrdp);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the flagship against xrdp; `how` picks the management channel that is not there. */
  async function runAgainstXrdp(how: string[], fixing: boolean) {
    const home = await mkdtemp(join(dir, 'home-'));
    const started = Date.now();
    const result = await cli(
      [
        'run',
        RDP_PLAYBOOK,
        ...(fixing ? [] : ['--check']),
        '--yes',
        '--param',
        'ComputerName=127.0.0.1',
        '--param',
        `Port=${rdpPort}`,
        '--connect-timeout',
        `${CONNECT_TIMEOUT_MS}ms`,
        '--output',
        'ndjson',
        ...how,
      ],
      home,
    );
    const elapsedMs = Date.now() - started;
    const events = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as EngineEvent);
    const ends = events.filter((e): e is StepEndEvent => e.type === 'step.end');
    const summary = events.find((e): e is SummaryEvent => e.type === 'summary');
    const clientMs = ends
      .filter((e) => ['dns', 'tcp', 'handshake', 'isolation'].includes(e.stepId))
      .reduce((sum, e) => sum + e.durationMs, 0);
    return { result, elapsedMs, events, ends, summary, clientMs, run: findRun(home) };
  }

  const channels: { name: string; args: () => string[]; reason: UnreachableReason }[] = [
    { name: 'WinRM from Linux (no WSMan client)', args: () => [], reason: 'noWsmanClient' },
    {
      name: 'SSH to a port where nothing listens',
      args: () => ['--target', '127.0.0.1', '--transport', 'ssh', '--port', String(closedPort)],
      reason: 'connectionRefused',
    },
    {
      name: 'SSH to a port that drops every packet',
      args: () => ['--target', '127.0.0.1', '--transport', 'ssh', '--port', String(silentPort)],
      reason: 'timedOut',
    },
  ];

  for (const { name, args, reason } of channels) {
    for (const fixing of [false, true]) {
      it(`${fixing ? 'a fixing run (--yes)' : '--check'} over ${name}: ends promptly with the client's diagnosis and the server's steps unreachable (${reason})`, async () => {
        const r = await runAgainstXrdp(args(), fixing);
        expect(r.result.status, r.result.stderr).toBe(5);
        // Within the connect timeout plus the client's own steps, plus PowerShell's start-up.
        expect(r.elapsedMs).toBeLessThan(CONNECT_TIMEOUT_MS + r.clientMs + 15_000);

        const byId = new Map(r.ends.map((e) => [e.stepId, e]));
        for (const id of ['dns', 'tcp', 'handshake', 'isolation'])
          expect(byId.get(id)?.status, id).toBe('ok');
        for (const id of ['listener', 'firewall', 'adapters', 'certificate', 'security', 'events'])
          expect(byId.get(id), id).toMatchObject({ status: 'unreachable', unreachable: { reason } });

        const handshake = byId.get('handshake')?.findings?.find((f) => f.cause === 'cert-expired');
        expect(handshake?.evidence).toMatch(/CN=SRV01.*expired 2025-02-01/);
        expect(r.summary).toMatchObject({
          outcome: 'unreachable',
          remaining: ['cert-expired'],
          unreachable: {
            on: 'target',
            reason,
            steps: expect.arrayContaining(['listener', 'renew_certificate']),
          },
        });
        // The one fix the client's evidence calls for needs the server: skipped as unreachable, nothing changed.
        expect(byId.get('renew_certificate')).toMatchObject({ status: 'unreachable' });
        const records = r.run?.records ?? [];
        expect(records.filter((x) => x.type === 'target-unreachable')).toHaveLength(1);
        expect(records.some((x) => x.type === 'intent' || x.type === 'rollback-start')).toBe(false);
        expect(records.at(-1)).toMatchObject({
          type: 'run-end',
          outcome: 'unreachable',
          counts: { unreachable: 7 },
        });
        console.info(
          `${fixing ? 'fix' : 'check'} ${reason}: exit after ${r.elapsedMs} ms (client steps ${r.clientMs} ms)`,
        );
      });
    }
  }
});
