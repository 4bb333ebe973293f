import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../src/core/version.js';
import { runFleet } from '../src/fleet/run-fleet.js';
import { type LabFleet, startLabFleet } from '../src/lab/lab-fleet.js';
import { loadPlaybook } from '../src/playbook/load-playbook.js';
import { findOnPath } from '../src/powershell/find-on-path.js';
import { findPowerShell } from '../src/powershell/find-powershell.js';
import { fitFleetSize } from './fleet-limits.js';
import { findLabProcesses, readChildrenCpuMs, readProcessFiguresSync } from './process-figures.js';
import type { BenchLine } from './run.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/fleet/', import.meta.url));
const FORKS = 32;
/** The fleet the issue asks for; PSREMEDY_BENCH_FLEET sets another size. */
const WANTED_HOSTS = Number(process.env.PSREMEDY_BENCH_FLEET ?? 100);
const SAMPLE_MS = 5000;

/** N lab hosts, one step of 1 s each, --forks 32: wall time against the ideal and against ansible-playbook. */
export default async function benchFleet(): Promise<BenchLine[]> {
  const fit = fitFleetSize(WANTED_HOSTS);
  if (fit.hosts < WANTED_HOSTS)
    console.log(`fleet of ${fit.hosts} lab hosts, not ${WANTED_HOSTS}: ${fit.limit}`);
  const hosts = fit.hosts;
  // The machine may be shared: the load says how much of the 2 cores the run had.
  console.log(`load average before the fleet run: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const ideal = Math.ceil(hosts / FORKS);
  const stateDir = await mkdtemp(join(tmpdir(), 'psremedy-bench-fleet-'));
  let lab: LabFleet | undefined;
  try {
    const powershell = await findPowerShell();
    const labStarted = performance.now();
    lab = await startLabFleet(
      Array.from({ length: hosts }, (_, i) => ({
        name: `LAB${String(i + 1).padStart(3, '0')}`,
        scenario: 'healthy',
      })),
      join(stateDir, 'lab'),
    );
    const labStartMs = performance.now() - labStarted;
    const playbook = await loadPlaybook(join(FIXTURES, 'fleet-sleep.yaml'));
    const sampler = sampleMemory(lab.runDir);
    const childCpuBefore = readChildrenCpuMs();
    const nodeCpuBefore = process.cpuUsage();
    const result = await runFleet({
      playbook,
      members: lab.hosts.map((h) => ({ name: h.name, target: h.target })),
      stateDir,
      forks: FORKS,
      // A 2-core machine opening 32 sessions at once needs more than the 30 s default.
      sessionOptions: {
        ...lab.localSessionOptions,
        powershell,
        connectTimeoutMs: 180_000,
        startupTimeoutMs: 180_000,
      },
      mode: { interactive: false, yes: true },
      psremedyVersion: VERSION,
    });
    const peak = await sampler.stop();
    const childCpuMs = readChildrenCpuMs() - childCpuBefore;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const wallS = result.durationMs / 1000;
    const ok = result.hosts.filter((h) => h.outcome === 'ok').length;
    if (ok !== hosts) {
      const bad = result.hosts.find((h) => h.outcome !== 'ok');
      console.log(
        `${hosts - ok} of ${hosts} hosts did not end ok; first: ${bad?.host} ${bad?.outcome} ${bad?.reason ?? ''}`,
      );
    }
    const ansible = await timeAnsible(hosts);
    const lines: BenchLine[] = [
      {
        name: `fleet run, ${hosts} lab hosts x one 1 s step, --forks ${FORKS} (wall)`,
        value: wallS,
        unit: 's',
        baselineName: `the ideal ceil(${hosts}/${FORKS}) s`,
        baselineValue: ideal,
        goalRatio: 1.25,
      },
      { name: 'hosts that ended ok', value: ok, unit: `of ${hosts}` },
      {
        name: `lab fleet start (${hosts} hosts: state, certificate, listener)`,
        value: labStartMs / 1000,
        unit: 's',
      },
      { name: 'psremedy (node) peak RSS during the run', value: peak.nodeRssMiB, unit: 'MiB' },
      {
        name: 'PSS per connected lab host (its relay + its -sshs server), at the peak',
        value: peak.labPssMiB,
        unit: 'MiB',
      },
      {
        name: 'private (anonymous) memory per connected lab host, at the peak',
        value: peak.labAnonMiB,
        unit: 'MiB',
      },
      { name: 'most lab PowerShell processes alive at once', value: peak.processes, unit: 'processes' },
      {
        // Only the relays: a lab server killed with its relay is reaped by init, so its CPU is not ours
        // to read here (bench lab-host-memory measures it, about 1.5 s per host).
        name: 'relay PowerShell CPU per host, start to exit (lab servers not counted)',
        value: childCpuMs / hosts,
        unit: 'ms',
      },
      {
        name: 'psremedy (node) CPU per host',
        value: (nodeCpu.user + nodeCpu.system) / 1000 / hosts,
        unit: 'ms',
      },
    ];
    if (!('skipped' in ansible)) {
      lines.push({
        name: `ansible-playbook, ${hosts} hosts x sleep 1, -f ${FORKS} (wall)`,
        value: ansible.wallS,
        unit: 's',
      });
      lines.push({
        name: 'fleet run (wall)',
        value: wallS,
        unit: 's',
        baselineName: 'ansible-playbook on the same work',
        baselineValue: ansible.wallS,
        goalRatio: 0.5,
      });
      // CPU time does not depend on what else the machine runs; wall time on a shared machine does.
      lines.push({
        name: 'CPU per host, psremedy (node + relays; lab servers not counted)',
        value: childCpuMs / hosts + (nodeCpu.user + nodeCpu.system) / 1000 / hosts,
        unit: 'ms',
        baselineName: 'ansible-playbook (all its processes)',
        baselineValue: ansible.cpuMs / hosts,
      });
    } else {
      console.log(`Ansible baseline skipped: ${ansible.skipped}`);
    }
    return lines;
  } finally {
    await lab?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

interface MemoryPeak {
  nodeRssMiB: number;
  labPssMiB: number;
  labAnonMiB: number;
  processes: number;
}

/** Samples psremedy's RSS and the lab's PowerShell processes (PSS, private memory) until stopped. */
function sampleMemory(runDir: string): { stop(): Promise<MemoryPeak> } {
  const peak: MemoryPeak = { nodeRssMiB: 0, labPssMiB: 0, labAnonMiB: 0, processes: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      peak.nodeRssMiB = Math.max(peak.nodeRssMiB, process.memoryUsage().rss / 1024 / 1024);
      const alive = findLabProcesses(runDir)
        .map(readProcessFiguresSync)
        .filter((f) => f !== undefined);
      peak.processes = Math.max(peak.processes, alive.length);
      // Two processes per connected host (its relay here, its -sshs server): memory per host.
      const connected = Math.max(1, alive.length / 2);
      peak.labPssMiB = Math.max(peak.labPssMiB, alive.reduce((s, f) => s + f.pssMiB, 0) / connected);
      peak.labAnonMiB = Math.max(peak.labAnonMiB, alive.reduce((s, f) => s + f.anonMiB, 0) / connected);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** ansible-playbook -f 32 on `hosts` local-connection hosts running `sleep 1`; its wall time in s. */
async function timeAnsible(hosts: number): Promise<{ wallS: number; cpuMs: number } | { skipped: string }> {
  const ansible = findOnPath('ansible-playbook');
  if (!ansible) return { skipped: 'ansible-playbook is not installed (Debian: apt-get install ansible)' };
  const dir = await mkdtemp(join(tmpdir(), 'psremedy-bench-ansible-'));
  try {
    const python = findOnPath('python3') ?? '/usr/bin/python3';
    const inventory = ['[fleet]']
      .concat(
        Array.from(
          { length: hosts },
          (_, i) =>
            `lab${String(i + 1).padStart(3, '0')} ansible_connection=local ansible_python_interpreter=${python}`,
        ),
      )
      .join('\n');
    await writeFile(join(dir, 'inventory.ini'), `${inventory}\n`);
    const started = performance.now();
    const cpuBefore = readChildrenCpuMs();
    const failed = await new Promise<string | undefined>((resolve) => {
      execFile(
        ansible,
        ['-i', join(dir, 'inventory.ini'), '-f', String(FORKS), join(FIXTURES, 'sleep.ansible.yaml')],
        { timeout: 600_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } },
        (error, _stdout, stderr) => resolve(error ? `${error.message} ${stderr}`.trim() : undefined),
      );
    });
    if (failed) return { skipped: `ansible-playbook failed: ${failed.slice(0, 300)}` };
    return { wallS: (performance.now() - started) / 1000, cpuMs: readChildrenCpuMs() - cpuBefore };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
