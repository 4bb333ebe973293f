import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyFiles } from '../../src/approval/keygen.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { copyToTemp, root, runCli } from './cli-helpers.js';

function readOnlyJournal(stateDir: string): JournalRecord[] {
  const runs = readdirSync(join(stateDir, 'runs'));
  expect(runs).toHaveLength(1);
  return readFileSync(join(stateDir, 'runs', runs[0] as string, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalRecord);
}

function scratchWithKey(): { dir: string; key: string; pub: string } {
  const dir = copyToTemp(join(root, 'test/fixtures/approval'), 'psremedy-unattended-');
  const pair = generateKeyFiles({ out: join(dir, 'keys/ops'), name: 'ops@corp' });
  return { dir, key: pair.keyFile, pub: pair.pubFile };
}

describe('an approved playbook runs unattended', () => {
  it('applies exactly the approved fix in the lab and skips a detected cause it does not approve, stdin closed and no TTY', async () => {
    const { dir, key, pub } = scratchWithKey();
    const playbook = join(root, 'playbooks/rdp-0x904.yaml');
    const approval = join(dir, 'rdp.approval.json');
    const approve = await runCli(
      [
        'approve',
        playbook,
        '--key',
        key,
        '--steps',
        'enable_rdp',
        '--targets',
        'SRV01',
        '--param',
        'ComputerName=SRV01',
        '--out',
        approval,
        '--note',
        'nightly',
      ],
      dir,
    );
    expect(approve.code, approve.stderr).toBe(0);

    const stateDir = join(dir, 'state');
    const scenario = join(dir, 'rdp-disabled+cert-expired.yaml');
    const run = await runCli(
      [
        'run',
        playbook,
        '--lab',
        scenario,
        '--unattended',
        '--approval',
        approval,
        '--trust',
        pub,
        '--state-dir',
        stateDir,
      ],
      dir,
      { CI: undefined },
    );
    expect(run.stderr).not.toMatch(/refused|internal error/);
    // cert-expired stays: its fix was not approved, so problems remain.
    expect(run.code).toBe(1);

    const journal = readOnlyJournal(stateDir);
    expect(journal[1]).toMatchObject({
      type: 'approval',
      details: {
        result: 'verified',
        approver: 'ops@corp',
        fixSteps: ['enable_rdp'],
        note: 'nightly',
        targets: ['SRV01'],
      },
    });
    expect(journal.filter((r) => r.type === 'intent').map((r) => r.stepId)).toEqual(['enable_rdp']);
    expect(journal.filter((r) => r.type === 'decision').map((r) => [r.stepId, r.decision, r.by])).toEqual([
      ['enable_rdp', 'apply', 'policy'],
      ['renew_certificate', 'skip', 'policy'],
    ]);
    expect(journal.find((r) => r.type === 'step-end' && r.stepId === 'renew_certificate')).toMatchObject({
      status: 'skipped',
      reason: 'not approved',
    });

    const statePath = /lab state after the run: (\S+)/.exec(run.stderr)?.[1] as string;
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(
      state.registry['HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server'].fDenyTSConnections.value,
    ).toBe(0);
    const certificates: Array<{ notAfter: string }> = state.certificates['Remote Desktop'];
    expect(certificates.every((c) => Date.parse(c.notAfter) < Date.now())).toBe(true);
  }, 480_000);

  it('never prompts on a real terminal: a fix outside the approval is skipped, not asked', async () => {
    const { dir, key, pub } = scratchWithKey();
    const playbook = join(root, 'playbooks/example-settings.yaml');
    const approval = join(dir, 'settings.approval.json');
    const settings = join(dir, 'app.ini');
    writeFileSync(settings, 'LogLevel=Debug\n');
    const approve = await runCli(
      [
        'approve',
        playbook,
        '--key',
        key,
        '--steps',
        '',
        '--param',
        'SettingsPath=~.*\\.ini',
        '--out',
        approval,
      ],
      dir,
    );
    expect(approve.code, approve.stderr).toBe(0);
    const command = [
      process.execPath,
      join(root, 'bin/psremedy.js'),
      'run',
      playbook,
      '--unattended',
      '--approval',
      approval,
      '--trust',
      pub,
      '--param',
      `SettingsPath=${settings}`,
      '--state-dir',
      join(dir, 'state'),
    ]
      .map((a) => `'${a.replaceAll("'", `'\\''`)}'`)
      .join(' ');
    // `script` gives the run a pseudo-terminal on stdin and stdout; a prompt would wait forever.
    const result = await runCli([], dir, { CI: undefined }, ['script', '-qefc', command, '/dev/null']);
    // The terminal reporter (listr2) hides the cursor: the run did see a terminal.
    expect(result.stdout).toContain('\u001b[?25l');
    expect(result.code).toBe(1);
    expect(
      readOnlyJournal(join(dir, 'state')).find((r) => r.type === 'step-end' && r.stepId === 'set_value'),
    ).toMatchObject({
      status: 'skipped',
      reason: 'not approved',
    });
    expect(readFileSync(settings, 'utf8')).toBe('LogLevel=Debug\n');
  }, 240_000);

  it('runs the approval fixture for real: the approved fix applies, the other is skipped, rollback restores the file exactly', async () => {
    const { dir, key, pub } = scratchWithKey();
    const playbook = join(dir, 'basic/playbooks/settings.yaml');
    const statePath = join(dir, 'settings.json');
    const original = `${JSON.stringify({ feature: 'off', cache: 'stale' }, null, 2)}\n`;
    writeFileSync(statePath, original);
    const approval = join(dir, 'settings.approval.json');
    const approve = await runCli(
      [
        'approve',
        playbook,
        '--key',
        key,
        '--steps',
        'feature',
        '--param',
        `StatePath=${statePath}`,
        '--out',
        approval,
      ],
      dir,
    );
    expect(approve.code, approve.stderr).toBe(0);
    const stateDir = join(dir, 'state');
    const run = await runCli(
      ['run', playbook, '--unattended', '--approval', approval, '--trust', pub, '--state-dir', stateDir],
      dir,
    );
    expect(run.stderr).not.toMatch(/refused|internal error/);
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual({ feature: 'on', cache: 'stale' });
    const journal = readOnlyJournal(stateDir);
    expect(
      journal.filter((r) => r.type === 'step-end').map((r) => [r.stepId, 'status' in r && r.status]),
    ).toEqual([
      ['check', 'ok'],
      ['feature', 'changed'],
      ['check', 'ok'],
      ['cache', 'skipped'],
    ]);
    const runId = journal[0]?.type === 'run-start' ? journal[0].runId : '';
    const rollback = await runCli(['rollback', runId, '--state-dir', stateDir], dir);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual(JSON.parse(original));
  }, 240_000);
});
