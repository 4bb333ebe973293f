import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSession } from '../../src/powershell/open-session.js';
import type { Session } from '../../src/powershell/types.js';
import { findTestPowerShell } from './test-powershell.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const MB = 1024 * 1024;
const STEP = [
  '[CmdletBinding()] param([string]$Name, [int[]]$Ports)',
  'Write-Verbose "checking $Name"',
  '[pscustomobject]@{ name = $Name; open = @($Ports | Where-Object { $_ -gt 1000 }).Count }',
].join('\n');
const MEASURE =
  '[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect(); [pscustomobject]@{ managed = [GC]::GetTotalMemory($true); pid = $PID }';

let session: Session;

beforeAll(async () => {
  session = await openSession({ kind: 'local' }, { powershell: await findTestPowerShell() });
});
afterAll(() => session?.close());

async function measure(): Promise<{ powershell: number; node: number; rss: number }> {
  const { managed, pid } = (await session.run({ script: MEASURE, params: {}, timeoutMs: 30_000 })).result as {
    managed: number;
    pid: number;
  };
  collectGarbage();
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { powershell: managed, node: process.memoryUsage().heapUsed, rss: rssKb * 1024 };
}

async function runSteps(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const outcome = await session.run({
      script: STEP,
      params: { Name: `server-${i}`, Ports: [80, 3389, 5985] },
      timeoutMs: 30_000,
    });
    if (outcome.status !== 'ok') throw new Error(`step ${i}: ${outcome.error?.message}`);
  }
}

it('keeps memory flat over 1,000 sequential requests in one session', async () => {
  await runSteps(200);
  const before = await measure();
  await runSteps(1000);
  const after = await measure();
  const grew = {
    powershellManagedMB: (after.powershell - before.powershell) / MB,
    nodeHeapMB: (after.node - before.node) / MB,
    powershellRssMB: (after.rss - before.rss) / MB,
  };
  console.log(`memory growth over 1,000 requests: ${JSON.stringify(grew)}`);
  expect(grew.powershellManagedMB).toBeLessThan(3);
  expect(grew.nodeHeapMB).toBeLessThan(3);
}, 300_000);
