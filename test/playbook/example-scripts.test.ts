import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPowerShell } from '../../src/powershell/find-powershell.js';

const scripts = fileURLToPath(new URL('../../ps-scripts/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'psremedy-example-'));
const conf = join(tmp, 'app.conf');
const missingKey = join(tmp, 'no-key.conf');
const absent = join(tmp, 'absent.conf');
const original = '# app settings\r\nLogLevel = Debug\r\n; old: LogLevel=Trace\r\nOther=1\r\n';

interface State {
  fileExists: boolean;
  present: boolean;
  value: string | null;
}
interface Results {
  driftWrong: { findings: Array<{ cause: string; confidence: number }>; state: State };
  driftMissingKey: { findings: Array<{ cause: string; confidence: number }> };
  driftAbsent: { findings: Array<{ cause: string; confidence: number }> };
  testBefore: { compliant: boolean; state: State };
  whatIf: { changed: boolean; after: State };
  afterWhatIf: string;
  apply: { changed: boolean; before: State; after: State };
  afterApply: string;
  testAfter: { compliant: boolean };
  applyAgain: { changed: boolean };
  undo: { changed: boolean; after: State };
  afterUndo: string;
  createAbsent: { changed: boolean; before: State };
  undoAbsent: { changed: boolean; after: State };
}

// Every script runs in ONE PowerShell process; `-Before` goes through JSON as the engine sends it.
const driver = `
$ErrorActionPreference = 'Stop'
$s = '${scripts}'
function J($o) { $o | ConvertTo-Json -Depth 6 -Compress | ConvertFrom-Json }
$r = [ordered]@{}
$r.driftWrong = & "$s/Test-ExampleSettingDrift.ps1" -Path '${conf}' -Key LogLevel -Expected Info
$r.driftMissingKey = & "$s/Test-ExampleSettingDrift.ps1" -Path '${missingKey}' -Key LogLevel -Expected Info
$r.driftAbsent = & "$s/Test-ExampleSettingDrift.ps1" -Path '${absent}' -Key LogLevel -Expected Info
$r.testBefore = & "$s/Test-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Value Info
$r.whatIf = & "$s/Set-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Value Info -WhatIf
$r.afterWhatIf = [System.IO.File]::ReadAllText('${conf}')
$r.apply = & "$s/Set-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Value Info -Confirm:$false
$r.afterApply = [System.IO.File]::ReadAllText('${conf}')
$r.testAfter = & "$s/Test-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Value Info
$r.applyAgain = & "$s/Set-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Value Info
$r.undo = & "$s/Restore-ExampleSetting.ps1" -Path '${conf}' -Key LogLevel -Before (J $r.apply).before
$r.afterUndo = [System.IO.File]::ReadAllText('${conf}')
$r.createAbsent = & "$s/Set-ExampleSetting.ps1" -Path '${absent}' -Key LogLevel -Value Info
$r.undoAbsent = & "$s/Restore-ExampleSetting.ps1" -Path '${absent}' -Key LogLevel -Before (J $r.createAbsent).before
[Console]::Out.WriteLine(([pscustomobject]$r | ConvertTo-Json -Depth 6 -Compress))
`;

let results: Results;
beforeAll(async () => {
  writeFileSync(conf, original);
  writeFileSync(missingKey, 'Other=1\n');
  const driverFile = join(tmp, 'driver.ps1');
  writeFileSync(driverFile, driver);
  const ps = await findPowerShell();
  const { stdout } = await promisify(execFile)(ps.path, [...ps.args, '-File', driverFile], {
    encoding: 'utf8',
  });
  const line = stdout.split('\n').find((l) => l.startsWith('{"driftWrong"'));
  if (!line) throw new Error(`no result line in PowerShell output:\n${stdout}`);
  results = JSON.parse(line) as Results;
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function confidences(findings: Array<{ cause: string; confidence: number }>): Record<string, number> {
  return Object.fromEntries(findings.map((f) => [f.cause, f.confidence]));
}

describe('the example-settings scripts on real PowerShell', () => {
  it('diagnoses a wrong value, a missing key and a missing file as the right cause', () => {
    expect(confidences(results.driftWrong.findings)).toEqual({ 'setting-missing': 0, 'setting-wrong': 1 });
    expect(results.driftWrong.state).toEqual({ fileExists: true, present: true, value: 'Debug' });
    expect(confidences(results.driftMissingKey.findings)).toEqual({
      'setting-missing': 1,
      'setting-wrong': 0,
    });
    expect(confidences(results.driftAbsent.findings)).toEqual({ 'setting-missing': 1, 'setting-wrong': 0 });
  });

  it('changes nothing under -WhatIf, but says what the state would become', () => {
    expect(results.testBefore.compliant).toBe(false);
    expect(results.whatIf.changed).toBe(false);
    expect(results.whatIf.after.value).toBe('Info');
    expect(results.afterWhatIf).toBe(original);
  });

  it('applies the value keeping every other line, and is then compliant and idempotent', () => {
    expect(results.apply).toMatchObject({
      changed: true,
      before: { value: 'Debug' },
      after: { value: 'Info', present: true },
    });
    expect(results.afterApply.split(/\r?\n/)).toEqual([
      '# app settings',
      'LogLevel=Info',
      '; old: LogLevel=Trace',
      'Other=1',
      '',
    ]);
    expect(results.testAfter.compliant).toBe(true);
    expect(results.applyAgain.changed).toBe(false);
  });

  it('undo puts the recorded before-state back', () => {
    expect(results.undo.changed).toBe(true);
    expect(results.undo.after).toEqual(results.apply.before);
    expect(results.afterUndo).toContain('LogLevel=Debug');
    expect(results.afterUndo).toContain('; old: LogLevel=Trace');
  });

  it('undo deletes a file that did not exist before the fix created it', () => {
    expect(results.createAbsent).toMatchObject({ changed: true, before: { fileExists: false } });
    expect(results.undoAbsent).toMatchObject({ changed: true, after: { fileExists: false } });
    expect(existsSync(absent)).toBe(false);
    expect(readFileSync(conf, 'utf8')).not.toBe('');
  });
});
