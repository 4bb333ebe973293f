import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { findPowerShell } from '../src/powershell/find-powershell.js';
import { openSession } from '../src/powershell/open-session.js';
import { buildPowerShellArgs, type PowerShellExecutable } from '../src/powershell/powershell-process.js';
import type { Session } from '../src/powershell/types.js';
import { startSshTestHost } from '../test/support/ssh-hosts.js';
import type { BenchLine } from './run.js';

const run = promisify(execFile);
const TRIVIAL = {
  script: '[CmdletBinding()] param([string]$Name) $Name',
  params: { Name: 'x' },
  timeoutMs: 30_000,
};
const WARM_STEPS = 500;
/** Steps after which .NET's tiered JIT has promoted the hot paths (see powershell-process.ts). */
const STEADY_WARMUP = 2500;
const PROCESS_STEPS = 5;
const ANSIBLE_TASKS = 41;

/** Per-step cost of a trivial script: warm local and remote sessions, a process per step, Ansible. */
export default async function benchSessions(): Promise<BenchLine[]> {
  const powershell = await findPowerShell();
  const local = await openSession({ kind: 'local' }, { powershell });
  const warm = await timeSteps(local, WARM_STEPS);
  for (let i = 0; i < STEADY_WARMUP; i++) await local.run(TRIVIAL);
  const steady = await timeSteps(local, WARM_STEPS);
  await local.close();
  const perProcess = await timeProcessPerStep(powershell);
  const remote = await timeRemoteSteps(powershell);
  const ansible = await timeAnsibleTask();

  const lines: BenchLine[] = [
    {
      name: 'warm local step (wall)',
      value: warm.wallMs,
      unit: 'ms',
      baselineName: 'the 2 ms goal',
      baselineValue: 2,
      goalRatio: 1,
    },
    {
      name: 'warm local step (wall)',
      value: warm.wallMs,
      unit: 'ms',
      baselineName: 'a new PowerShell process per step',
      baselineValue: perProcess,
      goalRatio: 0.02,
    },
    {
      name: `steady local step after ${STEADY_WARMUP + WARM_STEPS} steps (wall)`,
      value: steady.wallMs,
      unit: 'ms',
      baselineName: 'the 2 ms goal',
      baselineValue: 2,
      goalRatio: 1,
    },
    { name: 'steady local step: PowerShell CPU', value: steady.powershellCpuMs, unit: 'ms' },
    { name: 'steady local step: Node CPU', value: steady.nodeCpuMs, unit: 'ms' },
    { name: 'warm local step: PowerShell CPU', value: warm.powershellCpuMs, unit: 'ms' },
    { name: 'warm local step: Node CPU', value: warm.nodeCpuMs, unit: 'ms' },
    { name: 'a new PowerShell process per step', value: perProcess, unit: 'ms' },
  ];
  if (remote) lines.push({ name: `warm remote step (${remote.mode})`, value: remote.wallMs, unit: 'ms' });
  if (typeof ansible === 'number') {
    lines.push({
      name: 'warm local step (wall)',
      value: warm.wallMs,
      unit: 'ms',
      baselineName: 'an Ansible no-op task (debug, local connection)',
      baselineValue: ansible,
      goalRatio: 0.15,
    });
  } else {
    console.log(`Ansible comparison skipped: ${ansible.skipped}`);
  }
  return lines;
}

async function timeSteps(session: Session, steps: number) {
  const pid = (await session.run({ script: '$PID', params: {}, timeoutMs: 30_000 })).result as number;
  for (let i = 0; i < 50; i++) await session.run(TRIVIAL);
  const cpuBefore = readCpuMs(pid);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    const outcome = await session.run(TRIVIAL);
    if (outcome.status !== 'ok') throw new Error(`bench step failed: ${outcome.error?.message}`);
  }
  const wallMs = (performance.now() - started) / steps;
  const node = process.cpuUsage(nodeBefore);
  return {
    wallMs,
    powershellCpuMs: (readCpuMs(pid) - cpuBefore) / steps,
    nodeCpuMs: (node.user + node.system) / 1000 / steps,
  };
}

async function timeProcessPerStep(powershell: PowerShellExecutable): Promise<number> {
  const args = buildPowerShellArgs(powershell).filter(
    (a) => a !== '-NoExit' && a !== '-Command' && a !== '-',
  );
  const started = performance.now();
  for (let i = 0; i < PROCESS_STEPS; i++) {
    await run(powershell.path, [...args, '-Command', "& { param([string]$Name) $Name } -Name 'x'"]);
  }
  return (performance.now() - started) / PROCESS_STEPS;
}

async function timeRemoteSteps(powershell: PowerShellExecutable) {
  const host = await startSshTestHost({ powershell, octet: 9 });
  try {
    const session = await openSession(host.target, { powershell, env: host.env });
    const timing = await timeRemote(session);
    await session.close();
    return {
      mode: host.mode === 'sshd' ? 'real sshd on loopback' : `stand-in ssh: ${host.reason}`,
      wallMs: timing,
    };
  } finally {
    await host.stop();
  }
}

async function timeRemote(session: Session): Promise<number> {
  for (let i = 0; i < 20; i++) await session.run(TRIVIAL);
  const started = performance.now();
  for (let i = 0; i < 200; i++) await session.run(TRIVIAL);
  return (performance.now() - started) / 200;
}

async function timeAnsibleTask(): Promise<number | { skipped: string }> {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'ansible-playbook is not installed (apt-get install ansible)' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-bench-ansible-'));
  try {
    const time = async (tasks: number) => {
      const file = join(dir, `play-${tasks}.yml`);
      const body = Array.from({ length: tasks }, (_, i) => `    - debug: { msg: "step ${i}" }`).join('\n');
      writeFileSync(
        file,
        `- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n${body}\n`,
      );
      const started = performance.now();
      await run('ansible-playbook', ['-i', 'localhost,', file], {
        env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' },
      });
      return performance.now() - started;
    };
    const one = await time(1);
    const many = await time(ANSIBLE_TASKS);
    return (many - one) / (ANSIBLE_TASKS - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readCpuMs(pid: number): number {
  if (process.platform !== 'linux') return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}
