/** `psremedy test` input errors (before any lab starts) and its words, without PowerShell. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderScenario, renderSummary } from '../../src/cli/commands/test/render-results.js';
import { PlaybookError, UsageError } from '../../src/core/errors.js';
import { SCENARIO_DIR } from '../../src/lab/lab-paths.js';
import { findScenarioFiles } from '../../src/scenario-test/find-scenario-files.js';
import type { CheckResult, ScenarioResult } from '../../src/scenario-test/scenario-result.js';
import { testPlaybook } from '../../src/scenario-test/test-playbook.js';
import { createColors } from '../../src/ui/colors.js';

const PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const plain = createColors({ isTTY: false });

describe('psremedy test input', () => {
  it('expands a folder into its scenarios in name order and keeps only --only names', async () => {
    const all = await findScenarioFiles([SCENARIO_DIR]);
    expect(all[0]).toBe(join(SCENARIO_DIR, 'adapter-down.yaml'));
    expect(all).toContain(join(SCENARIO_DIR, 'healthy.yaml'));
    const only = await findScenarioFiles(
      [SCENARIO_DIR, join(SCENARIO_DIR, 'healthy.yaml')],
      ['healthy', 'wrong-port'],
    );
    expect(only).toEqual([join(SCENARIO_DIR, 'healthy.yaml'), join(SCENARIO_DIR, 'wrong-port.yaml')]);
  });

  it.each([
    [{ scenarios: ['no/such/folder'] }, /--scenarios no\/such\/folder: no such file or folder/],
    [
      { scenarios: [SCENARIO_DIR], only: ['firewall-close'] },
      /--only firewall-close: no such scenario .*did you mean "firewall-closed"/,
    ],
    [{ scenarios: [SCENARIO_DIR], only: ['healthy'], params: ['Port=abc'] }, /param Port/],
    [
      { scenarios: [SCENARIO_DIR], only: ['healthy'], params: ['Nope=1'] },
      /the playbook has no param "Nope"/,
    ],
  ])('refuses %j before any lab starts', async (flags, message) => {
    const started = performance.now();
    const run = testPlaybook({ playbookFile: PLAYBOOK, ...flags });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(testPlaybook({ playbookFile: PLAYBOOK, ...flags })).rejects.toThrow(message);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('refuses a broken scenario file with its file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-bad-scenario-'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      'apiVersion: psremedy/v1\nkind: LabScenario\nname: broken\ntitle: x\nchanges:\n  - setNothing: {}\n',
    );
    const run = testPlaybook({ playbookFile: PLAYBOOK, scenarios: [dir] });
    await expect(run).rejects.toBeInstanceOf(PlaybookError);
  });
});

describe('psremedy test output', () => {
  const pass = (reason: string, durationMs: number): CheckResult => ({
    passed: true,
    reason,
    details: [],
    durationMs,
  });
  const result: ScenarioResult = {
    scenario: 'tls-disabled',
    file: join(SCENARIO_DIR, 'tls-disabled.yaml'),
    expectedCauses: ['tls-disabled'],
    passed: false,
    checks: {
      diagnosis: pass('top cause tls-disabled 98%', 20_300),
      repair: {
        passed: false,
        reason: 're-diagnosis still detects tls-disabled 60%',
        details: ['step enable_tls12 failed: boom'],
        durationMs: 9_000,
      },
      rollback: pass('rolled back; state equal to the start', 1_200),
    },
    stateDir: '/tmp/x/tls-disabled',
    labStartMs: 100,
    durationMs: 31_000,
  };

  it('prints a row per check with its verdict, time and reason, and the details of a failure', () => {
    expect(renderScenario(result, plain)).toEqual([
      'tls-disabled (expects tls-disabled)  FAIL  31.0 s  lab start 0.1 s',
      '  diagnosis pass  20.3 s  top cause tls-disabled 98%',
      '  repair    FAIL   9.0 s  re-diagnosis still detects tls-disabled 60%',
      '                          step enable_tls12 failed: boom',
      '  rollback  pass   1.2 s  rolled back; state equal to the start',
    ]);
  });

  it('closes with the count and names each failed scenario with its failed checks', () => {
    const lines = renderSummary(
      { playbook: PLAYBOOK, passed: false, scenarios: [result], durationMs: 31_500, stateDir: '/tmp/x' },
      plain,
    );
    expect(lines).toEqual([
      '0 of 1 scenarios passed in 31.5 s; failed: tls-disabled (repair)',
      'runs, journals and lab states: /tmp/x',
    ]);
  });
});
