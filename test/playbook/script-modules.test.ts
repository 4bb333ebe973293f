import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { loadPlaybook } from '../../src/playbook/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const declare = (name: string, path: string) =>
  `if (-not (Get-Module -Name ${name})) { Import-Module -Name (Join-Path $PSScriptRoot '${path}') }`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** A playbook with one diagnose step running scripts/Test-It.ps1, and the given files beside it. */
async function loadWith(files: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'psremedy-modules-'));
  const all: Record<string, string> = {
    'play.yaml': [
      'apiVersion: psremedy/v1',
      'name: modules',
      'title: Modules',
      'steps:',
      '  - id: look',
      '    title: Look',
      '    kind: diagnose',
      '    on: client',
      '    script: scripts/Test-It.ps1',
      '',
    ].join('\n'),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return loadPlaybook(join(dir, 'play.yaml'));
}

async function problemsOf(files: Record<string, string>): Promise<string[]> {
  const error = await loadWith(files).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PlaybookError);
  return (error as PlaybookError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('the shared modules a script declares', () => {
  it('are read with the shipped scripts, with the SHA-256 of their bytes', async () => {
    const playbook = await loadPlaybook(join(repo, 'playbooks/rdp-0x904.yaml'));
    const script = playbook.scripts.get(join(repo, 'ps-scripts/Repair-RdpCertificate.ps1'));
    const module = join(repo, 'ps-scripts/lib/RdpCertificate.psm1');
    const bytes = readFileSync(module);
    expect(script?.modules).toContainEqual({
      name: 'RdpCertificate',
      path: module,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      text: bytes.toString('utf8'),
    });
  });

  it('come dependencies first, each once, however many scripts and modules declare them', async () => {
    const playbook = await loadWith({
      'scripts/Test-It.ps1': [
        declare('Outer', 'lib/Outer.psm1'),
        declare('Inner', 'lib/Inner.psm1'),
        "'ok'",
      ].join('\n'),
      'scripts/lib/Outer.psm1': `${declare('Inner', 'Inner.psm1')}\nfunction Get-Outer { 1 }`,
      'scripts/lib/Inner.psm1': 'function Get-Inner { 2 }',
    });
    const script = playbook.scripts.get(join(dir, 'scripts/Test-It.ps1'));
    expect(script?.modules?.map((m) => m.name)).toEqual(['Inner', 'Outer']);
  });

  it('stop the playbook, naming the step and the file, when one does not exist', async () => {
    const problems = await problemsOf({ 'scripts/Test-It.ps1': declare('Gone', 'lib/Gone.psm1') });
    expect(problems).toEqual([
      expect.stringMatching(
        /^steps\.0\.script: cannot use the module lib\/Gone\.psm1 that .*Test-It\.ps1 imports: .*Gone\.psm1 does not exist$/,
      ),
    ]);
  });

  it('stop the playbook when the guard names another module than the file defines', async () => {
    const problems = await problemsOf({
      'scripts/Test-It.ps1': declare('Other', 'lib/Real.psm1'),
      'scripts/lib/Real.psm1': 'function Get-Real { 1 }',
    });
    expect(problems[0]).toContain('the guard names Other, but the file defines module Real');
  });

  it('stop the playbook when modules import each other in a cycle', async () => {
    const problems = await problemsOf({
      'scripts/Test-It.ps1': declare('A', 'lib/A.psm1'),
      'scripts/lib/A.psm1': declare('B', 'B.psm1'),
      'scripts/lib/B.psm1': declare('A', 'A.psm1'),
    });
    expect(problems[0]).toContain('the modules import each other in a cycle');
  });
});
