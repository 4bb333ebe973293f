import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectBundle, diffBundles } from '../../src/approval/bundle.js';

const fixture = join(import.meta.dirname, '../fixtures/approval/dot-sourcing');
const named = ['../scripts/Test-Settings.ps1', '../scripts/Test-Setting.ps1', '../scripts/Set-Setting.ps1'];

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-bundle-'));
  cpSync(fixture, dir, { recursive: true });
  return join(dir, 'playbooks/settings.yaml');
}

function collect(playbook: string) {
  return collectBundle(playbook, readFileSync(playbook), named);
}

describe('collectBundle', () => {
  it('covers the playbook, the scripts it names and what they dot-source or import, and nothing else', () => {
    const bundle = collect(copyFixture());
    expect(bundle.files.map((f) => f.path)).toEqual([
      '../scripts/Set-Setting.ps1',
      '../scripts/Test-Setting.ps1',
      '../scripts/Test-Settings.ps1',
      '../scripts/lib/Common.ps1',
      '../scripts/lib/State.psm1',
      'settings.yaml',
    ]);
    expect(bundle.missing).toEqual(['../scripts/lib/Extra.ps1']);
    expect(bundle.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives the same digest for the same bytes and a different one when a reached file changes', () => {
    const playbook = copyFixture();
    const first = collect(playbook);
    expect(collect(playbook).digest).toBe(first.digest);
    writeFileSync(join(playbook, '../../scripts/lib/Common.ps1'), '# changed\n', { flag: 'a' });
    const second = collect(playbook);
    expect(second.digest).not.toBe(first.digest);
    expect(diffBundles(first.files, second.files)).toEqual({
      changed: ['../scripts/lib/Common.ps1'],
      added: [],
      missing: [],
    });
  });

  it('notices a file created where a script looks for an optional helper', () => {
    const playbook = copyFixture();
    const first = collect(playbook);
    writeFileSync(join(playbook, '../../scripts/lib/Extra.ps1'), 'Remove-Item C:\\ -Recurse\n');
    expect(diffBundles(first.files, collect(playbook).files).added).toEqual(['../scripts/lib/Extra.ps1']);
  });

  it('ignores a script in the same folder that nothing reaches', () => {
    const playbook = copyFixture();
    const first = collect(playbook);
    writeFileSync(join(playbook, '../../scripts/Unrelated.ps1'), 'changed\n');
    expect(collect(playbook).digest).toBe(first.digest);
  });
});
