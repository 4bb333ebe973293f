import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvePlaybook } from '../src/approval/approve.js';
import { generateKeyFiles } from '../src/approval/keygen.js';
import { verifyApproval } from '../src/approval/verify-approval.js';
import { loadPlaybook } from '../src/playbook/index.js';
import type { BenchLine } from './run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const playbookFile = join(root, 'playbooks/rdp-0x904.yaml');

async function medianMs(runs: number, body: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** What an unattended run's full verification costs over loading the playbook it runs anyway. */
export default async function benchApproval(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-bench-approval-'));
  const keys = generateKeyFiles({ out: join(dir, 'ops'), name: 'bench' });
  const approvalFile = join(dir, 'rdp.approval.json');
  const approved = await approvePlaybook({
    playbookFile,
    keyFile: keys.keyFile,
    targets: ['SRV01'],
    params: ['ComputerName=SRV01'],
    out: approvalFile,
  });
  const verify = () => verifyApproval({ playbookFile, approvalFile, trust: keys.pubFile });
  await verify();
  const load = await medianMs(20, () => loadPlaybook(playbookFile));
  const verified = await medianMs(20, verify);
  const cli = await medianMs(10, () =>
    execFileSync(process.execPath, [
      join(root, 'bin/psremedy.js'),
      'verify',
      playbookFile,
      '--approval',
      approvalFile,
      '--trust',
      keys.pubFile,
    ]),
  );
  const node = await medianMs(10, () => execFileSync(process.execPath, ['-e', '0']));
  return [
    {
      name: 'files covered by the rdp-0x904 approval',
      value: approved.approval.bundle.files.length,
      unit: 'files',
    },
    {
      name: 'verifyApproval(rdp-0x904), median of 20',
      value: verified,
      unit: 'ms',
      baselineName: 'loadPlaybook alone',
      baselineValue: load,
      goalRatio: 2,
    },
    {
      name: 'psremedy verify (CLI wall), median of 10',
      value: cli,
      unit: 'ms',
      baselineName: 'node -e 0',
      baselineValue: node,
    },
  ];
}
