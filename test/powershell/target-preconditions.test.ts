/**
 * Before opening a remote session the envelope says, in plain words, when it cannot work: SSH
 * targets with Windows PowerShell 5.1 as the engine, and servers whose session runs in
 * ConstrainedLanguage (AppLocker / WDAC). Runs the envelope's own functions in real PowerShell.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readEnvelopeSource } from '../../src/powershell/envelope-source.js';
import { findTestPowerShell } from './test-powershell.js';

const run = promisify(execFile);

async function evaluate(expression: string): Promise<string> {
  const ps = await findTestPowerShell();
  const script = `${readEnvelopeSource()}\n$r = ${expression}\nif ($null -eq $r) { 'null' } else { $r }`;
  const { stdout, stderr } = await run(ps.path, [
    ...(ps.args ?? []),
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    script,
  ]);
  if (stderr.trim() !== '') throw new Error(stderr);
  return stdout.trim();
}

describe('target preconditions', () => {
  it('refuses SSH targets under Windows PowerShell 5.1, naming what to do instead', async () => {
    const text = await evaluate(`Get-PsRemedySshProblem ([version]'5.1.17763.1') $false`);
    expect(text).toMatch(
      /SSH targets need PowerShell 7 .* Windows PowerShell 5\.1\.17763\.1, whose New-PSSession has no -HostName/,
    );
    expect(text).toMatch(/use a WinRM target/);
  });

  it.each([
    ["([version]'7.2.0') $true", /SSH options need PowerShell 7\.3/],
    ["([version]'7.2.0') $false", /^null$/],
    ["([version]'7.6.9') $true", /^null$/],
  ])('judges SSH support for %s', async (args, expected) => {
    expect(await evaluate(`Get-PsRemedySshProblem ${args}`)).toMatch(expected);
  });

  it('names ConstrainedLanguage and its causes, and accepts FullLanguage', async () => {
    expect(await evaluate(`Get-PsRemedyLanguageProblem 'ConstrainedLanguage'`)).toMatch(
      /runs in ConstrainedLanguage mode \(an AppLocker or WDAC/,
    );
    expect(await evaluate(`Get-PsRemedyLanguageProblem 'FullLanguage'`)).toBe('null');
  });
});
