// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} is playbook expression syntax, not a JS template
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/psremedy.js', import.meta.url));
const example = fileURLToPath(new URL('../../playbooks/example-settings.yaml', import.meta.url));
const full = fileURLToPath(new URL('../fixtures/playbooks/full.yaml', import.meta.url));

function psremedy(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

describe('psremedy plan', () => {
  it('lists the steps in order with their scripts, place and params, as JSON too', () => {
    const r = psremedy('plan', full, '--param', 'ComputerName=srv01', '--param', 'Port=3390', '--json');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.params).toEqual({
      ComputerName: 'srv01',
      Port: 3390,
      Force: false,
      Mode: 'quick',
      Token: '********',
    });
    expect(plan.steps.map((s: { id: string }) => s.id)).toEqual(['tcp', 'rule', 'enable_rule', 'restart']);
    expect(plan.steps[0]).toMatchObject({
      on: 'client',
      with: { Port: 3390, Label: 'port 3390 on srv01', Nested: { list: ['quick', 2], flag: false } },
    });
    expect(plan.steps[1]).toMatchObject({ on: 'target', host: 'srv01' });
    expect(plan.steps[2].with).toEqual({ Reachable: '${{ steps.tcp.result.reachable }}' });
    expect(plan.steps[2].confirm).toBe(
      'Enables the rule on srv01; was reachable ${{ steps.tcp.result.reachable }}.',
    );
    expect(plan.steps[3]).toMatchObject({
      risk: 'disruptive',
      noUndo: 'a restart cannot be taken back; it only costs a reconnect',
    });
  });

  it('prints a readable plan for the example playbook', () => {
    const r = psremedy('plan', example, '--param', 'SettingsPath=./app.conf');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1. drift (diagnose) on the client');
    expect(r.stdout).toContain('2. set_value (fix, risk low) on the client');
    expect(r.stdout).toContain('with:    -Path ./app.conf -Key LogLevel -Value Info');
  });

  it('exits 2 naming each bad param and what was expected', () => {
    const r = psremedy('plan', full, '--param', 'Port=many', '--param', 'Mode=slow');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing required param ComputerName: expected a string matching');
    expect(r.stderr).toContain('param Port: expected a whole number (int), got "many"');
    expect(r.stderr).toContain('param Mode: expected one of quick, full, got "slow"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a --param without =', () => {
    const r = psremedy('plan', example, '--param', 'SettingsPath');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--param "SettingsPath" is not NAME=VALUE');
  });
});
