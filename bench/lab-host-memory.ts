import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabFleet } from '../src/lab/lab-fleet.js';
import { findPowerShell } from '../src/powershell/find-powershell.js';
import { openSession } from '../src/powershell/open-session.js';
import type { SESSION_CARRIER_RUNTIME } from '../src/powershell/runtime-settings.js';
import type { Session } from '../src/powershell/types.js';
import { findLabProcesses, type ProcessFigures, readProcessFigures, sumFigures } from './process-figures.js';
import type { BenchLine } from './run.js';

const FLEETS = [1, 10, 30];
const OPENS_AT_ONCE = 2;
/** The .NET defaults the carrier settings replace (GCgen0size=0 is "not set"). */
const RUNTIME_DEFAULTS: Record<keyof typeof SESSION_CARRIER_RUNTIME, string> = {
  DOTNET_TieredCompilation: '1',
  DOTNET_GCgen0size: '0',
};

/** What one connected lab host costs (its local relay and its -sshs server), with .NET's defaults and with the carrier settings. */
export default async function benchLabHostMemory(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  for (const hosts of FLEETS) {
    const before = await measure(hosts, RUNTIME_DEFAULTS);
    const after = await measure(hosts, {});
    for (const role of ['relay', 'server'] as const) {
      for (const [figure, unit] of [
        ['pssMiB', 'MiB'],
        ['anonMiB', 'MiB'],
        ['rssMiB', 'MiB'],
        ['cpuMs', 'ms'],
      ] as const) {
        lines.push({
          name: `${hosts} connected lab host(s): ${role} ${figure.replace(/MiB|Ms/, '')} per host, carrier settings`,
          value: after[role][figure],
          unit,
          baselineName: '.NET defaults',
          baselineValue: before[role][figure],
        });
      }
    }
  }
  return lines;
}

type PerHost = Record<'relay' | 'server', Omit<ProcessFigures, 'pid'>>;

/** Opens `hosts` lab sessions (a few at a time), runs one step on each, then reads every process. */
async function measure(hosts: number, runtime: Record<string, string>): Promise<PerHost> {
  const saved = Object.fromEntries(Object.keys(runtime).map((k) => [k, process.env[k]]));
  Object.assign(process.env, runtime);
  const dir = await mkdtemp(join(tmpdir(), 'psremedy-bench-labmem-'));
  const lab = await startLabFleet(
    Array.from({ length: hosts }, (_, i) => ({
      name: `MEM${String(i + 1).padStart(3, '0')}`,
      scenario: 'healthy',
    })),
    join(dir, 'lab'),
  );
  const sessions: Session[] = [];
  try {
    const powershell = await findPowerShell();
    let next = 0;
    await Promise.all(
      Array.from({ length: OPENS_AT_ONCE }, async () => {
        for (let i = next++; i < hosts; i = next++) {
          const host = lab.hosts[i]!;
          const session = await openSession(host.target, {
            ...lab.localSessionOptions,
            powershell,
            connectTimeoutMs: 180_000,
          });
          sessions.push(session);
          await session.run({
            script: '[string](Get-Service -Name TermService).Status',
            params: {},
            timeoutMs: 60_000,
          });
        }
      }),
    );
    // Tiered compilation re-compiles in the background once a process goes idle: let it.
    await new Promise((r) => setTimeout(r, 3000));
    const relays: ProcessFigures[] = [];
    const servers: ProcessFigures[] = [];
    for (const pid of findLabProcesses(lab.runDir)) {
      const figures = await readProcessFigures(pid);
      if (!figures) continue;
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      (cmdline.split('\0').includes('-sshs') ? servers : relays).push(figures);
    }
    const perHost = (all: ProcessFigures[]) => {
      const sum = sumFigures(all);
      return {
        rssMiB: sum.rssMiB / hosts,
        pssMiB: sum.pssMiB / hosts,
        anonMiB: sum.anonMiB / hosts,
        cpuMs: sum.cpuMs / hosts,
      };
    };
    return { relay: perHost(relays), server: perHost(servers) };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
