import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureHostBuilt } from '../src/powershell/build-host.js';
import { BASE_ARGS, EngineSession } from '../test/pshost/run-host.js';
import type { BenchLine } from './run.js';

/** psremedy's PowerShell host: cold start, warm invocation cost, memory, and remoting costs. */
export default async function benchPshost(): Promise<BenchLine[]> {
  const host = await ensureHostBuilt();
  const nodeStarts: number[] = [];
  const hostStarts: number[] = [];
  // Interleaved so both see the same machine load.
  for (let i = 0; i < 9; i++) {
    nodeStarts.push(timeSync(() => spawnSync(process.execPath, ['-e', '0'])));
    hostStarts.push(await timeFirstResult(host));
  }
  const nodeStart = median(nodeStarts);
  const lines: BenchLine[] = [
    {
      name: 'host cold start to first result (median of 9)',
      value: median(hostStarts),
      unit: 'ms',
      baselineName: 'node -e 0',
      baselineValue: nodeStart,
    },
  ];

  const session = new EngineSession(host);
  await session.invoke('$i = 0');
  const rssAfterOne = readRssMiB(session.pid);
  const started = performance.now();
  for (let i = 0; i < 1000; i++) await session.invoke('$i++');
  const perInvoke = (performance.now() - started) / 1000;
  const rssAfterThousand = readRssMiB(session.pid);
  await session.close();
  lines.push({
    name: 'warm invocation of a trivial line (mean of 1,000)',
    value: perInvoke,
    unit: 'ms',
    baselineName: 'node -e 0',
    baselineValue: nodeStart,
  });
  if (rssAfterOne !== undefined && rssAfterThousand !== undefined) {
    lines.push({
      name: 'host RSS after 1,000 invocations',
      value: rssAfterThousand,
      unit: 'MiB',
      baselineName: 'RSS after 1',
      baselineValue: rssAfterOne,
    });
  }
  if (process.platform !== 'win32') lines.push(...(await benchRemoting(host)));
  return lines;
}

/** Opens a session through a stand-in ssh (host -sshs) and times the open and 100 invokes. */
async function benchRemoting(host: string): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pshost-bench-'));
  try {
    writeFileSync(join(dir, 'ssh'), `#!/bin/sh\nexec "${host}" -sshs\n`);
    chmodSync(join(dir, 'ssh'), 0o755);
    const script = [
      '$sw = [Diagnostics.Stopwatch]::StartNew(); $s = New-PSSession -HostName bench; $open = $sw.Elapsed.TotalMilliseconds',
      '$null = Invoke-Command -Session $s { 1 }; $sw.Restart(); 1..100 | ForEach-Object { $null = Invoke-Command -Session $s { 1 } }',
      '$each = $sw.Elapsed.TotalMilliseconds / 100; Remove-PSSession $s',
      '[Console]::Out.WriteLine("$open $each")',
    ].join('; ');
    const out = spawnSync(host, [...BASE_ARGS, '-Command', script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
    });
    const [open, each] = out.stdout.trim().split(' ').map(Number);
    if (open === undefined || each === undefined || Number.isNaN(open)) return [];
    return [
      { name: 'remoting: New-PSSession through stand-in ssh', value: open, unit: 'ms' },
      { name: 'remoting: Invoke-Command -Session (mean of 100)', value: each, unit: 'ms' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from spawn to the first line the host prints from stdin (`-NoExit -Command -`). */
function timeFirstResult(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(host, [...BASE_ARGS, '-NoExit', '-Command', '-'], { stdio: 'pipe' });
    child.on('error', reject);
    child.stdout.once('data', () => {
      resolve(performance.now() - started);
      child.stdin.end();
    });
    child.stdin.write("'ready'\n");
  });
}

function timeSync(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function readRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : undefined;
}
