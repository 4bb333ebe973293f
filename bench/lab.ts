import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Lab, startLab } from '../src/lab/lab.js';
import { PROTOCOL } from '../src/lab/rdp/x224.js';
import { materializeCertificate } from '../src/lab/scenario/certificates.js';
import { fromNow } from '../src/lab/scenario/lab-time.js';
import { openSession } from '../src/powershell/open-session.js';
import { probeRdp } from '../test/support/rdp-probe.js';
import type { BenchLine } from './run.js';

/** The lab: how long a host takes to start, what it costs in memory, and how fast it answers the RDP handshake. */
export default async function benchLab(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  await startLab('healthy', { powershell: false }).then((lab) => lab.stop());

  const healthyStarts: number[] = [];
  const expiredStarts: number[] = [];
  for (let i = 0; i < 7; i++) {
    healthyStarts.push(await timeStart('healthy'));
    expiredStarts.push(await timeStart('cert-expired'));
  }
  lines.push({
    name: 'lab host start, healthy (median of 7, listener up)',
    value: median(healthyStarts),
    unit: 'ms',
  });
  lines.push({
    name: 'lab host start, cert-expired (re-makes the certificate, key cached)',
    value: median(expiredStarts),
    unit: 'ms',
    baselineName: 'healthy start',
    baselineValue: median(healthyStarts),
  });
  const keyCache = await mkdtemp(join(tmpdir(), 'psremedy-bench-keys-'));
  process.env.PSREMEDY_LAB_KEY_CACHE = keyCache;
  const keygenStarted = performance.now();
  await materializeCertificate(
    {
      subject: 'CN=bench',
      notBefore: fromNow('clock-30d'),
      notAfter: fromNow('clock+365d'),
      hasPrivateKey: true,
    },
    `bench-${Date.now()}`,
  );
  lines.push({
    name: 'certificate with a new RSA-2048 key (no cache)',
    value: performance.now() - keygenStarted,
    unit: 'ms',
  });
  delete process.env.PSREMEDY_LAB_KEY_CACHE;
  await rm(keyCache, { recursive: true, force: true });

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const labs: Lab[] = [];
  for (let i = 0; i < 10; i++) labs.push(await startLab('healthy', { powershell: false }));
  await Promise.all(labs.map((l) => probeRdp({ host: l.hosts[0]!.address, port: 3389 })));
  const perHost = (process.memoryUsage().rss - rssBefore) / 10 / 1024 / 1024;
  lines.push({
    name: 'memory per lab host in the runtime (RSS growth over 10 hosts)',
    value: perHost,
    unit: 'MiB',
  });

  const target = labs[0]!.hosts[0]!;
  const full: number[] = [];
  const x224: number[] = [];
  for (let i = 0; i < 50; i++) {
    full.push((await probeRdp({ host: target.address, port: 3389 })).durationMs);
    x224.push(
      (await probeRdp({ host: target.address, port: 3389, requestedProtocols: PROTOCOL.ssl })).durationMs,
    );
  }
  const xrdp = await xrdpHandshakeMs();
  lines.push({
    name: 'lab RDP handshake, TCP + X.224 + TLS (median of 50)',
    value: median(full),
    unit: 'ms',
    ...(xrdp === undefined
      ? {}
      : { baselineName: 'xrdp 0.9 on loopback', baselineValue: xrdp, goalRatio: 2 }),
  });
  lines.push({
    name: 'lab RDP negotiation only, TCP + X.224 failure (median of 50)',
    value: median(x224),
    unit: 'ms',
  });
  lines.push(...(await remoteFigures(await startLab('healthy'))));
  await Promise.all(labs.map((l) => l.stop()));
  return lines;
}

async function timeStart(scenario: string): Promise<number> {
  const started = performance.now();
  const lab = await startLab(scenario, { powershell: false });
  const ms = performance.now() - started;
  await lab.stop();
  return ms;
}

/** Opens a real session to the host (New-PSSession through the stand-in ssh) and measures it and its server process. */
async function remoteFigures(lab: Lab): Promise<BenchLine[]> {
  const host = lab.hosts[0]!;
  try {
    const opened = performance.now();
    const session = await openSession(host.target, lab.localSessionOptions);
    const openMs = performance.now() - opened;
    const trips: number[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        await session.run({
          script: '[pscustomobject]@{ Status = [string](Get-Service -Name TermService).Status }',
          params: {},
          timeoutMs: 30_000,
        });
        trips.push(performance.now() - started);
      }
      const rss = await serverRssMiB(host.statePath);
      return [
        {
          name: 'remote session open to a lab host (New-PSSession via the stand-in ssh)',
          value: openMs,
          unit: 'ms',
        },
        {
          name: 'remote script round trip on a lab host, Get-Service over the state (median of 20)',
          value: median(trips),
          unit: 'ms',
        },
        ...(rss === undefined
          ? []
          : [
              {
                name: "memory of a connected lab host's PowerShell server (-sshs, module loaded)",
                value: rss,
                unit: 'MiB',
              },
            ]),
      ];
    } finally {
      await session.close();
    }
  } finally {
    await lab.stop();
  }
}

/** RSS of the -sshs process serving the host whose state file is `statePath`. */
async function serverRssMiB(statePath: string): Promise<number | undefined> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes('-sshs')) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (!environ.split('\0').includes(`PSREMEDY_LAB_STATE=${statePath}`)) continue;
    const kb = /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  }
  return undefined;
}

/** The same handshake against real xrdp on loopback, when it is installed. */
async function xrdpHandshakeMs(): Promise<number | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'psremedy-bench-xrdp-'));
  let child: ChildProcess | undefined;
  try {
    const cert = await materializeCertificate(
      {
        subject: 'CN=bench-xrdp',
        notBefore: fromNow('clock-30d'),
        notAfter: fromNow('clock+1500d'),
        hasPrivateKey: true,
      },
      'bench-xrdp',
    );
    await writeFile(join(dir, 'cert.pem'), cert.certPem!);
    await writeFile(join(dir, 'key.pem'), cert.keyPem!);
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const ini = (await readFile('/etc/xrdp/xrdp.ini', 'utf8'))
      .replace(/^port=3389$/m, `port=tcp://127.0.0.1:${port}`)
      .replace(/^certificate=.*$/m, `certificate=${join(dir, 'cert.pem')}`)
      .replace(/^key_file=.*$/m, `key_file=${join(dir, 'key.pem')}`);
    await writeFile(join(dir, 'xrdp.ini'), ini);
    child = spawn('xrdp', ['--nodaemon', '--config', join(dir, 'xrdp.ini')], { stdio: 'ignore' });
    child.on('error', () => undefined);
    if (!(await waitForPort(port))) return undefined;
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const result = await probeRdp({ host: '127.0.0.1', port });
      if (result.stage === 'done') times.push(result.durationMs);
    }
    return times.length ? median(times) : undefined;
  } catch {
    return undefined;
  } finally {
    if (child) await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForPort(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
