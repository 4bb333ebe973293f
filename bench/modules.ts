/**
 * What the shared modules of ps-scripts/lib cost a session: the first request that carries every
 * module (defined from text once) against the same request without modules, in fresh sessions,
 * local and remote; and a later request that needs them (they are not sent again).
 */
import { performance } from 'node:perf_hooks';
import { listScriptModules, loadPlaybook } from '../src/playbook/index.js';
import { findPowerShell } from '../src/powershell/find-powershell.js';
import { openSession } from '../src/powershell/open-session.js';
import type { PowerShellExecutable } from '../src/powershell/powershell-process.js';
import type { RequestModule, TargetSpec } from '../src/powershell/types.js';
import { startSshTestHost } from '../test/support/ssh-hosts.js';
import type { BenchLine } from './run.js';

const SESSIONS = 8;
const SCRIPT = "'ok'";

/** Every module the rdp-0x904 playbook's scripts declare, dependencies first. */
async function shippedModules(): Promise<RequestModule[]> {
  const playbook = await loadPlaybook(new URL('../playbooks/rdp-0x904.yaml', import.meta.url).pathname);
  const ordered = new Map<string, RequestModule>();
  for (const script of playbook.scripts.values())
    for (const m of script.modules ?? []) ordered.set(m.path, m);
  if (ordered.size !== listScriptModules(playbook.scripts.values()).size) throw new Error('modules lost');
  return [...ordered.values()];
}

/** Median ms of the first request of a fresh session, with and without the modules, and a repeat. */
async function timeFirstRequests(
  powershell: PowerShellExecutable,
  target: TargetSpec,
  env: Record<string, string> | undefined,
  modules: RequestModule[],
) {
  const withModules: number[] = [];
  const without: number[] = [];
  const repeat: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    for (const carry of [true, false]) {
      const session = await openSession(target, { powershell, ...(env ? { env } : {}) });
      await session.run({ script: '1', params: {}, timeoutMs: 60_000 });
      const started = performance.now();
      const outcome = await session.run({
        script: SCRIPT,
        params: {},
        timeoutMs: 60_000,
        ...(carry ? { modules } : {}),
      });
      (carry ? withModules : without).push(performance.now() - started);
      if (outcome.status !== 'ok') throw new Error(`bench request failed: ${outcome.error?.message}`);
      if (carry) {
        const again = performance.now();
        await session.run({ script: SCRIPT, params: {}, timeoutMs: 60_000, modules });
        repeat.push(performance.now() - again);
      }
      await session.close();
    }
  }
  return { withModules: median(withModules), without: median(without), repeat: median(repeat) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Per-session cost of defining the shipped modules, local and over SSH remoting. */
export default async function benchModules(): Promise<BenchLine[]> {
  const powershell = await findPowerShell();
  const modules = await shippedModules();
  const bytes = modules.reduce((n, m) => n + Buffer.byteLength(m.text), 0);
  const local = await timeFirstRequests(powershell, { kind: 'local' }, undefined, modules);
  const host = await startSshTestHost({ powershell, octet: 11 });
  let remote: Awaited<ReturnType<typeof timeFirstRequests>>;
  try {
    remote = await timeFirstRequests(powershell, host.target, host.env, modules);
  } finally {
    await host.stop();
  }
  const lines: BenchLine[] = [
    { name: `modules sent (${modules.length} files)`, value: bytes, unit: 'bytes' },
  ];
  for (const [where, t] of [
    ['local', local],
    [`remote (${host.mode})`, remote],
  ] as const) {
    lines.push(
      {
        name: `${where}: first request with every module`,
        value: t.withModules,
        unit: 'ms',
        baselineName: 'without modules',
        baselineValue: t.without,
      },
      { name: `${where}: per-session cost of the modules`, value: t.withModules - t.without, unit: 'ms' },
      { name: `${where}: a later request needing them (not sent again)`, value: t.repeat, unit: 'ms' },
    );
  }
  return lines;
}
