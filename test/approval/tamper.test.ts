import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Approval, UnsignedApproval } from '../../src/approval/approval-format.js';
import { collectBundle } from '../../src/approval/bundle.js';
import { generateKeyFiles } from '../../src/approval/keygen.js';
import { readSigningKey } from '../../src/approval/keys.js';
import { listScriptPaths } from '../../src/approval/playbook-scripts.js';
import { signApproval } from '../../src/approval/signature.js';
import {
  bumpChar,
  copyToTemp,
  createPowerShellTripwire,
  fixture,
  lastAlnum,
  lastDigit,
  runCli,
} from './cli-helpers.js';

const PLAYBOOK = 'playbooks/settings.yaml';
const APPROVAL = 'playbooks/settings.approval.json';
const CHECKED_RUN = ['--target', 'srv01', '--param', 'StatePath=C:/state/app.json'];
const RUN = ['run', PLAYBOOK, '--unattended', '--approval', APPROVAL, '--trust', 'keys', ...CHECKED_RUN];
const VERIFY = ['verify', PLAYBOOK, '--approval', APPROVAL, '--trust', 'keys', ...CHECKED_RUN];

let pristine: string;

// biome-ignore lint/suspicious/noExplicitAny: tampering edits free-form JSON
type EditableJson = Record<string, any>;

/** Reads, changes and writes the approval as JSON. */
function editApproval(dir: string, change: (approval: EditableJson) => void): void {
  const file = join(dir, APPROVAL);
  const approval = JSON.parse(readFileSync(file, 'utf8'));
  change(approval);
  writeFileSync(file, JSON.stringify(approval, null, 2));
}

/** Changes the approval and signs it again with the trusted key: a consistent approval with a bad policy. */
function resignApproval(dir: string, change: (approval: UnsignedApproval) => void): void {
  const key = readSigningKey(join(dir, 'keys/alice.key'));
  editApproval(dir, (approval) => {
    const { signature: _old, ...unsigned } = approval as Approval;
    change(unsigned);
    const signed = signApproval(unsigned, key.key);
    for (const k of Object.keys(approval)) delete approval[k];
    Object.assign(approval, signed);
  });
}

/** Changes one byte of a string field reached by a path (the last letter or digit, or `index`). */
function bumpField(path: Array<string | number>, index?: (value: string) => number) {
  return (dir: string) =>
    editApproval(dir, (approval) => {
      const parent = path.slice(0, -1).reduce<EditableJson>((node, key) => node[key], approval);
      const key = path[path.length - 1] as string | number;
      const value = parent[key];
      parent[key] = typeof value === 'number' ? value + 1 : bumpChar(value, (index ?? lastAlnum)(value));
    });
}

function bumpFileByte(relative: string) {
  return (dir: string) => {
    const file = join(dir, relative);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) === 0x41 ? 0x42 : 0x41;
    writeFileSync(file, bytes);
  };
}

/** Ways a file can be there without being a readable regular file: [what, make it, words of the refusal]. */
function unreadableFiles(relative: string): Array<[string, (dir: string) => void, string]> {
  const at = (dir: string) => join(dir, relative);
  return [
    ['a folder', (dir) => mkdirSync(at(dir)), 'it is a folder'],
    ['a dangling link', (dir) => symlinkSync(join(dir, 'nothing-here'), at(dir)), 'it does not exist'],
    ['a named pipe', (dir) => execFileSync('mkfifo', [at(dir)]), 'it is a named pipe'],
    ['a link to /dev/zero', (dir) => symlinkSync('/dev/zero', at(dir)), 'it is a device'],
    [
      'a 2 MiB file',
      (dir) => writeFileSync(at(dir), Buffer.alloc(2 * 1024 * 1024, 0x20)),
      'it is 2097152 bytes',
    ],
  ];
}

interface TamperCase {
  name: string;
  tamper(dir: string): void;
  reason: string;
  /** Words the refusal must contain: what differs. */
  names: RegExp;
  args?: string[];
}

const cases: TamperCase[] = [
  {
    name: 'one byte of the playbook',
    tamper: bumpFileByte(PLAYBOOK),
    reason: 'digest-mismatch',
    names: /settings\.yaml changed/,
  },
  ...['Test-Settings.ps1', 'Test-Setting.ps1', 'Set-Setting.ps1', 'Restore-Setting.ps1'].map((script) => ({
    name: `one byte of ${script}`,
    tamper: bumpFileByte(`scripts/${script}`),
    reason: 'digest-mismatch',
    names: new RegExp(`\\.\\./scripts/${script.replace('.', '\\.')} changed`),
  })),
  {
    name: 'a covered script deleted',
    tamper: (dir) => rmSync(join(dir, 'scripts/Restore-Setting.ps1')),
    reason: 'digest-mismatch',
    names: /\.\.\/scripts\/Restore-Setting\.ps1 is missing/,
  },
  {
    name: 'a signed approval of scripts that dot-source and import helpers from files',
    tamper: (dir) => {
      cpSync(join(fixture, '../dot-sourcing/scripts'), join(dir, 'scripts'), { recursive: true });
      const playbook = join(dir, PLAYBOOK);
      const bundle = collectBundle(
        playbook,
        readFileSync(playbook),
        listScriptPaths(parseYaml(readFileSync(playbook, 'utf8'))),
      );
      resignApproval(dir, (approval) => {
        approval.bundle = { digest: bundle.digest, files: bundle.files };
      });
    },
    reason: 'loads-unapproved-code',
    names: /\.\.\/scripts\/Set-Setting\.ps1:19:1: '\. \$PSScriptRoot\\lib\\Common\.ps1' dot-sources a file/,
  },
  ...unreadableFiles('keys/evil.pub').map(([kind, make, words]) => ({
    name: `a trusted key that is ${kind}`,
    tamper: make,
    reason: 'untrusted-key',
    names: new RegExp(`cannot read the trusted key .*evil\\.pub: ${words}`),
  })),
  ...unreadableFiles(APPROVAL).map(([kind, make, words]) => ({
    name: `an approval file that is ${kind}`,
    tamper: (dir: string) => {
      rmSync(join(dir, APPROVAL));
      make(dir);
    },
    reason: 'malformed-approval',
    names: new RegExp(`cannot read the approval .*settings\\.approval\\.json: ${words}`),
  })),
  {
    name: 'a duplicate key that shows a reader another policy than the one enforced',
    tamper: (dir) => {
      const file = join(dir, APPROVAL);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('"policy": {', '"policy": {\n    "maxRisk": "disruptive",'));
    },
    reason: 'malformed-approval',
    names: /field policy\.maxRisk appears twice/,
  },
  {
    name: 'a different trusted public key',
    tamper: (dir) => {
      rmSync(join(dir, 'keys'), { recursive: true });
      generateKeyFiles({ out: join(dir, 'keys/mallory'), name: 'mallory' });
    },
    reason: 'untrusted-key',
    names: /signed by alice/,
  },
  {
    name: 'an approval re-signed by another key under the approver fingerprint',
    tamper: (dir) => {
      const mallory = generateKeyFiles({ out: join(dir, 'other/mallory') });
      const key = readSigningKey(mallory.keyFile);
      editApproval(dir, (approval) => {
        approval.policy.maxRisk = 'disruptive';
        const { signature: _s, ...unsigned } = approval;
        approval.signature = signApproval(unsigned as UnsignedApproval, key.key).signature;
      });
    },
    reason: 'signature-invalid',
    names: /changed after it was signed/,
  },
  { name: 'format', tamper: bumpField(['format']), reason: 'malformed-approval', names: /field format/ },
  {
    name: 'playbook.name',
    tamper: bumpField(['playbook', 'name']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'playbook.file',
    tamper: bumpField(['playbook', 'file']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'bundle.digest',
    tamper: bumpField(['bundle', 'digest']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'bundle.files.0.path',
    tamper: bumpField(['bundle', 'files', 0, 'path']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'bundle.files.0.sha256',
    tamper: bumpField(['bundle', 'files', 0, 'sha256']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'bundle.files.0.size',
    tamper: bumpField(['bundle', 'files', 0, 'size']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'policy.fixSteps.0',
    tamper: bumpField(['policy', 'fixSteps', 0]),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'policy.maxRisk',
    tamper: bumpField(['policy', 'maxRisk']),
    reason: 'malformed-approval',
    names: /field policy\.maxRisk/,
  },
  {
    name: 'policy.targets.0',
    tamper: bumpField(['policy', 'targets', 0]),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'policy.params.StatePath.matches',
    tamper: bumpField(['policy', 'params', 'StatePath', 'matches']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'approver.name',
    tamper: bumpField(['approver', 'name']),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'approver.keyFingerprint',
    tamper: bumpField(['approver', 'keyFingerprint']),
    reason: 'untrusted-key',
    names: /not a trusted key/,
  },
  {
    name: 'created',
    tamper: bumpField(['created'], lastDigit),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'expires',
    tamper: bumpField(['expires'], lastDigit),
    reason: 'signature-invalid',
    names: /signature/,
  },
  { name: 'note', tamper: bumpField(['note']), reason: 'signature-invalid', names: /signature/ },
  {
    name: 'signature.algorithm',
    tamper: bumpField(['signature', 'algorithm']),
    reason: 'malformed-approval',
    names: /field signature\.algorithm/,
  },
  {
    name: 'signature.value',
    tamper: bumpField(['signature', 'value'], (v) => v.search(/[A-Za-z0-9]/)),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'a field removed (note)',
    tamper: (dir) => editApproval(dir, (a) => delete a.note),
    reason: 'signature-invalid',
    names: /signature/,
  },
  {
    name: 'a field added',
    tamper: (dir) => editApproval(dir, (a) => (a.policy.allowAll = true)),
    reason: 'malformed-approval',
    names: /policy\.allowAll/,
  },
  {
    name: 'a truncated approval',
    tamper: (dir) => writeFileSync(join(dir, APPROVAL), '{"format":'),
    reason: 'malformed-approval',
    names: /not JSON/,
  },
  {
    name: 'an expired approval',
    tamper: (dir) =>
      resignApproval(dir, (a) => {
        a.created = '2020-01-01T00:00:00.000Z';
        a.expires = '2020-01-31T00:00:00.000Z';
      }),
    reason: 'expired',
    names: /expired at 2020-01-31/,
  },
  {
    name: 'an approval created in the future',
    tamper: (dir) =>
      resignApproval(dir, (a) => {
        a.created = new Date(Date.now() + 86_400_000).toISOString();
        a.expires = new Date(Date.now() + 2 * 86_400_000).toISOString();
      }),
    reason: 'not-yet-valid',
    names: /check this machine's clock/,
  },
  {
    name: 'an approved step above the approved risk',
    tamper: (dir) => resignApproval(dir, (a) => (a.policy.maxRisk = 'low')),
    reason: 'step-above-max-risk',
    names: /fix step cache has risk high, above the approved maximum low/,
  },
  {
    name: 'a target outside the approval',
    tamper: () => {},
    args: [...RUN.slice(0, -3), 'srv02', ...RUN.slice(-2)],
    reason: 'target-not-allowed',
    names: /target srv02 is not allowed.*srv01, \*\.lab\.example/,
  },
  {
    name: 'a param value outside its pattern',
    tamper: () => {},
    args: [...RUN.slice(0, -1), 'StatePath=/etc/shadow'],
    reason: 'param-outside-policy',
    names: /param StatePath="\/etc\/shadow" is outside the approval, which allows a value matching/,
  },
  {
    name: 'a param the approval does not list',
    tamper: () => {},
    args: [...RUN, '--param', 'Mode=lax'],
    reason: 'param-outside-policy',
    names: /param Mode="lax" is not in the approval, so only its playbook default/,
  },
];

describe('a tampered approval, playbook or run is refused before any PowerShell starts', () => {
  beforeAll(async () => {
    pristine = copyToTemp(fixture);
    const keygen = await runCli(['keygen', '--out', 'keys/alice', '--name', 'alice'], pristine);
    expect(keygen.code, keygen.stderr).toBe(0);
    const approve = await runCli(
      [
        'approve',
        PLAYBOOK,
        '--key',
        'keys/alice.key',
        '--targets',
        'srv01,*.lab.example',
        '--param',
        'StatePath=~.*\\.json',
        '--note',
        'nightly',
      ],
      pristine,
    );
    expect(approve.code, approve.stderr).toBe(0);
  });

  it('verifies the untouched copy, and its run gets as far as starting PowerShell (the tripwire works)', async () => {
    const dir = copyToTemp(pristine);
    const verify = await runCli(VERIFY, dir);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/approval ok: approval-settings approved by alice/);
    const tripwire = createPowerShellTripwire(dir);
    const run = await runCli([...RUN, '--state-dir', join(dir, 'state')], dir, {
      PSREMEDY_POWERSHELL: tripwire.path,
    });
    expect(run.stderr).not.toMatch(/refused/);
    expect(tripwire.wasStarted()).toBe(true);
  });

  it.concurrent.each(cases)('run --unattended refuses $name with $reason and exit 4', async (testCase) => {
    const dir = copyToTemp(pristine);
    testCase.tamper(dir);
    const tripwire = createPowerShellTripwire(dir);
    const args = [...(testCase.args ?? RUN), '--state-dir', join(dir, 'state')];
    const startedAt = Date.now();
    const result = await runCli(args, dir, { PSREMEDY_POWERSHELL: tripwire.path });
    expect(Date.now() - startedAt, 'refused quickly').toBeLessThan(60_000);
    expect(result.stderr).toMatch(new RegExp(`^refused \\(${testCase.reason}\\): `));
    expect(result.stderr).toMatch(testCase.names);
    expect(result.code).toBe(4);
    expect(tripwire.wasStarted()).toBe(false);
    expect(existsSync(join(dir, 'state/runs')), 'no run was journaled').toBe(false);
  });

  it.concurrent.each(cases.filter((c) => !c.args).slice(0, 3))(
    'verify refuses $name the same way',
    async (testCase) => {
      const dir = copyToTemp(pristine);
      testCase.tamper(dir);
      const result = await runCli(VERIFY, dir);
      expect(result.stderr).toMatch(new RegExp(`^refused \\(${testCase.reason}\\): `));
      expect(result.code).toBe(4);
    },
  );
});
