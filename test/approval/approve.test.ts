import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseApproval } from '../../src/approval/approval-format.js';
import { approvePlaybook } from '../../src/approval/approve.js';
import { generateKeyFiles } from '../../src/approval/keygen.js';
import { prepareUnattendedRun } from '../../src/approval/unattended.js';
import type { RunPolicy } from '../../src/engine/run-policy.js';
import { copyToTemp, fixture, root, runCli } from './cli-helpers.js';

const PLAYBOOK = 'playbooks/settings.yaml';
let dir: string;

beforeAll(() => {
  dir = copyToTemp(fixture);
  generateKeyFiles({ out: join(dir, 'keys/alice'), name: 'alice' });
});

describe('psremedy approve', () => {
  it.each([
    [
      'an invalid playbook',
      (d: string) => writeFileSync(join(d, PLAYBOOK), 'apiVersion: psremedy/v1\nname: x\n'),
      [],
      /steps/,
    ],
    [
      'a step above --max-risk',
      () => {},
      ['--steps', 'feature,cache', '--max-risk', 'medium'],
      /cache \(risk high\) above --max-risk medium/,
    ],
    ['a diagnose step in --steps', () => {}, ['--steps', 'check'], /check is a diagnose step/],
    [
      'a param the playbook does not declare',
      () => {},
      ['--param', 'Port=1'],
      /--param Port: the playbook has no such param/,
    ],
    ['an expiry in the past', () => {}, ['--expires', '2001-01-01'], /not in the future/],
    [
      'a param named toString',
      () => {},
      ['--param', 'toString=x'],
      /--param toString: the playbook has no such param/,
    ],
    [
      'a param named __proto__',
      () => {},
      ['--param', '__proto__=~.*'],
      /--param __proto__: the playbook has no such param/,
    ],
    [
      'scripts that dot-source or import helpers from files',
      (d: string) => cpSync(join(fixture, '../dot-sourcing'), d, { recursive: true }),
      [],
      /cannot approve .*settings\.yaml: its scripts load code from files[\s\S]*scripts\/Set-Setting\.ps1:19:1: '\. \$PSScriptRoot\\lib\\Common\.ps1' dot-sources a file[\s\S]*Test-Setting\.ps1:18:1: 'Import-Module \(Join-Path \$PSScriptRoot 'lib\/State\.psm1'\)' imports a module from a file/,
    ],
  ])('refuses %s with exit 2 and writes nothing', async (_name, prepare, args, message) => {
    const d = copyToTemp(dir);
    prepare(d);
    const result = await runCli(['approve', PLAYBOOK, '--key', 'keys/alice.key', ...args], d);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(() => readFileSync(join(d, 'playbooks/settings.approval.json'))).toThrow();
  });

  it('approves by default the fix steps within --max-risk, and records what it covers', async () => {
    const d = copyToTemp(dir);
    const now = new Date('2030-01-01T00:00:00Z');
    const result = await approvePlaybook({
      playbookFile: join(d, PLAYBOOK),
      keyFile: join(d, 'keys/alice.key'),
      maxRisk: 'medium',
      params: ['Mode=Strict', 'StatePath=~.*\\.json'],
      expires: '7d',
      now,
    });
    const approval = parseApproval(readFileSync(result.approvalFile, 'utf8'), result.approvalFile);
    expect(approval.policy).toEqual({
      fixSteps: ['feature'],
      maxRisk: 'medium',
      targets: [],
      params: { Mode: { equals: 'Strict' }, StatePath: { matches: '.*\\.json' } },
    });
    expect(approval.approver.name).toBe('alice');
    expect(approval.expires).toBe('2030-01-08T00:00:00.000Z');
    expect(approval.bundle.files.map((f) => f.path)).toEqual([
      '../scripts/Restore-Setting.ps1',
      '../scripts/Set-Setting.ps1',
      '../scripts/Test-Setting.ps1',
      '../scripts/Test-Settings.ps1',
      'settings.yaml',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('leaves a disruptive fix out unless it is named or the maximum risk is raised, and says so', async () => {
    const flagship = join(root, 'playbooks/rdp-0x904.yaml');
    const approve = (extra: { steps?: string[]; maxRisk?: string }) =>
      approvePlaybook({
        playbookFile: flagship,
        keyFile: join(dir, 'keys/alice.key'),
        targets: ['SRV01'],
        out: join(dir, `rdp-${Object.keys(extra).join('-') || 'default'}.approval.json`),
        ...extra,
      });
    const byDefault = await approve({});
    expect(byDefault.approval.policy.fixSteps).not.toContain('reset_adapter');
    expect(byDefault.approval.policy.fixSteps).toContain('open_firewall');
    expect(byDefault.approval.policy.maxRisk).toBe('high');
    expect(byDefault.defaultMaxRisk).toBe('high');
    expect(byDefault.leftOut).toEqual([{ id: 'reset_adapter', risk: 'disruptive' }]);
    const named = await approve({ steps: ['reset_adapter', 'open_firewall'] });
    expect(named.approval.policy).toMatchObject({
      fixSteps: ['open_firewall', 'reset_adapter'],
      maxRisk: 'disruptive',
    });
    expect(named.defaultMaxRisk).toBeUndefined();
    const raised = await approve({ maxRisk: 'disruptive' });
    expect(raised.approval.policy.fixSteps).toContain('reset_adapter');
    expect(raised.leftOut).toEqual([]);

    const d = copyToTemp(dir);
    const cli = await runCli(
      [
        'approve',
        flagship,
        '--key',
        join(d, 'keys/alice.key'),
        '--targets',
        'SRV01',
        '--out',
        join(d, 'a.json'),
      ],
      d,
    );
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/default maximum risk: high/);
    expect(cli.stdout).toMatch(/left out: +reset_adapter \(risk disruptive\)/);
    expect(cli.stdout).not.toMatch(/fix steps:.*reset_adapter/);
  });

  it('prepares an unattended run whose policy skips unapproved steps and journals the approval first', async () => {
    const d = copyToTemp(dir);
    await approvePlaybook({
      playbookFile: join(d, PLAYBOOK),
      keyFile: join(d, 'keys/alice.key'),
      steps: ['feature'],
      params: ['StatePath=/srv/state.json'],
    });
    const run = await prepareUnattendedRun({
      playbookFile: join(d, PLAYBOOK),
      approvalFile: join(d, 'playbooks/settings.approval.json'),
      trust: join(d, 'keys/alice.pub'),
    });
    const policy: RunPolicy = run.policy;
    expect(policy.allowedFixSteps).toEqual(new Set(['feature']));
    expect(run.params).toEqual({ StatePath: '/srv/state.json', Mode: 'strict' });
    const appended: unknown[] = [];
    await policy.onStart?.({ runId: 'r1', append: (r) => appended.push(r) });
    expect(appended).toEqual([
      {
        type: 'approval',
        details: expect.objectContaining({
          result: 'verified',
          approver: 'alice',
          fixSteps: ['feature'],
          bundleDigest: expect.stringMatching(/^sha256:/),
        }),
      },
    ]);
    const scriptHashes = [...run.playbook.scripts.values()].map((s) => s.sha256);
    expect(scriptHashes).toHaveLength(4);
  });
});
