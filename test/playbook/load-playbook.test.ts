import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/playbook/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/playbooks/', import.meta.url));
const example = fileURLToPath(new URL('../../playbooks/example-settings.yaml', import.meta.url));

describe('loadPlaybook', () => {
  it('loads a playbook using every field, applying defaults', async () => {
    const playbook = await loadPlaybook(join(fixtures, 'full.yaml'));
    expect(playbook.file).toBe(join(fixtures, 'full.yaml'));
    expect(playbook.dir).toBe(fixtures.replace(/\/$/, ''));
    expect(playbook.doc.steps.map((s) => `${s.id}:${s.kind}:${s.on}`)).toEqual([
      'tcp:diagnose:client',
      'rule:diagnose:target',
      'enable_rule:fix:target',
      'restart:fix:target',
    ]);
    expect(playbook.doc.params.ComputerName).toMatchObject({ type: 'string', required: true, secret: false });
    expect(playbook.doc.target).toMatchObject({ transport: 'ssh', port: 22 });
    expect(playbook.warnings).toEqual([]);
  });

  it('reads every script once, keyed by absolute path, with the SHA-256 of its bytes', async () => {
    const playbook = await loadPlaybook(join(fixtures, 'full.yaml'));
    const names = [...playbook.scripts.keys()].map((k) => k.slice(fixtures.length));
    expect(names).toEqual(['scripts/Restore-Ok.ps1', 'scripts/Set-Ok.ps1', 'scripts/Test-Ok.ps1']);
    const testOk = join(fixtures, 'scripts/Test-Ok.ps1');
    const bytes = readFileSync(testOk);
    expect(playbook.scripts.get(testOk)).toEqual({
      text: bytes.toString('utf8'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('resolves script paths against the playbook folder, backslashes included', async () => {
    const playbook = await loadPlaybook(join(fixtures, 'full.yaml'));
    const [tcp, rule, fix, restart] = playbook.doc.steps;
    expect(playbook.scriptPath(tcp!, 'script')).toBe(join(fixtures, 'scripts/Test-Ok.ps1'));
    expect(playbook.scriptPath(rule!, 'script')).toBe(join(fixtures, 'scripts/Test-Ok.ps1'));
    expect(playbook.scriptPath(fix!, 'undo')).toBe(join(fixtures, 'scripts/Restore-Ok.ps1'));
    expect(() => playbook.scriptPath(restart!, 'undo')).toThrow('step "restart" has no undo script');
  });

  it('loads with a warning when a required param also has a default', async () => {
    const playbook = await loadPlaybook(join(fixtures, 'required-with-default.yaml'));
    expect(playbook.warnings).toMatchObject([
      { line: 5, col: 47, path: 'params.Port.default', severity: 'warning' },
    ]);
  });

  it('loads the shipped example playbook and its four scripts', async () => {
    const playbook = await loadPlaybook(example);
    expect(playbook.doc.name).toBe('example-settings');
    expect([...playbook.scripts.keys()].map((k) => k.split('/').pop())).toEqual([
      'Restore-ExampleSetting.ps1',
      'Set-ExampleSetting.ps1',
      'Test-ExampleSetting.ps1',
      'Test-ExampleSettingDrift.ps1',
    ]);
  });
});
