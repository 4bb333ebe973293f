import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/powershell/open-session.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';
import type { RequestModule, Session } from '../../src/powershell/types.js';
import { type SshTestHost, startSshTestHost } from '../support/ssh-hosts.js';
import { findTestPowerShell } from './test-powershell.js';

/** A module that counts how often the session defined it, and says which version it is. */
function counterModule(version: string): RequestModule {
  const text = [
    'Set-StrictMode -Version Latest',
    '$global:PsRemedyTestModuleLoads = 1 + [int](Get-Variable -Name PsRemedyTestModuleLoads -Scope Global -ValueOnly -ErrorAction SilentlyContinue)',
    `function Get-CounterVersion { '${version}' }`,
  ].join('\n');
  return { name: 'PsRemedyCounter', sha256: createHash('sha256').update(text).digest('hex'), text };
}

/** A module that uses the counter module through the same guarded import a script uses. */
const DEPENDENT: RequestModule = {
  name: 'PsRemedyDependent',
  sha256: 'dependent-1',
  text: [
    "if (-not (Get-Module -Name PsRemedyCounter)) { Import-Module -Name (Join-Path $PSScriptRoot 'PsRemedyCounter.psm1') }",
    'function Get-DependentVersion { "dependent on $(Get-CounterVersion)" }',
  ].join('\n'),
};

const SCRIPT = [
  "if (-not (Get-Module -Name PsRemedyCounter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyCounter.psm1') }",
  '[pscustomobject]@{ version = (Get-CounterVersion); loads = $global:PsRemedyTestModuleLoads }',
].join('\n');

describe.each([
  ['a local session', false],
  ['a remote session (SSH subsystem)', true],
])('shared modules in %s', (_name, isRemote) => {
  let powershell: PowerShellExecutable;
  let host: SshTestHost | undefined;
  let session: Session;

  beforeAll(async () => {
    powershell = await findTestPowerShell();
    if (isRemote) host = await startSshTestHost({ powershell, octet: 9 });
    session = await openSession(host ? host.target : { kind: 'local' }, {
      powershell,
      ...(host ? { env: host.env } : {}),
    });
  });
  afterAll(async () => {
    await session?.close();
    await host?.stop();
  });

  const run = (script: string, modules: RequestModule[], timeoutMs = 30_000) =>
    session.run({ script, modules, params: {}, timeoutMs });

  it('defines a module from its text once, and skips the guarded import from disk', async () => {
    const v1 = counterModule('v1');
    expect(await run(SCRIPT, [v1])).toMatchObject({ status: 'ok', result: { version: 'v1', loads: 1 } });
    expect(await run(SCRIPT, [v1])).toMatchObject({ status: 'ok', result: { version: 'v1', loads: 1 } });
  });

  it('defines a changed module again, replacing the older version', async () => {
    const before = (await run(SCRIPT, [counterModule('v1')])).result as { loads: number };
    const outcome = await run(SCRIPT, [counterModule('v2')]);
    expect(outcome).toMatchObject({ status: 'ok', result: { version: 'v2', loads: before.loads + 1 } });
  });

  it('defines dependencies first, so a module can use another one', async () => {
    const outcome = await run(
      "if (-not (Get-Module -Name PsRemedyDependent)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyDependent.psm1') }\nGet-DependentVersion",
      [counterModule('v3'), DEPENDENT],
    );
    expect(outcome).toMatchObject({ status: 'ok', result: 'dependent on v3' });
  });

  it('fails, rather than looking on disk, when a declared module was not sent', async () => {
    // The module file sits where a relative or empty $PSScriptRoot would lead (the current folder).
    const dir = mkdtempSync(join(tmpdir(), 'psremedy-unsent-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(
      join(dir, 'lib', 'PsRemedyNeverSent.psm1'),
      '$global:PsRemedyNeverSentRan = $true\nfunction Get-NeverSent { 1 }\n',
    );
    const outcome = await session.run({
      script: [
        'param([string]$Dir)',
        'Set-Location -LiteralPath $Dir',
        "if (-not (Get-Module -Name PsRemedyNeverSent)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyNeverSent.psm1') }",
        "'ran'",
      ].join('\n'),
      params: { Dir: dir },
      timeoutMs: 30_000,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/drive with the name 'psremedy-approved' does not exist/);
    expect((await run('[bool]$global:PsRemedyNeverSentRan', [])).result).toBe(false);
  });

  it('fails to define a module that declares one that was not sent', async () => {
    const needy = {
      name: 'PsRemedyNeedsUnsent',
      sha256: 'needy',
      text: DEPENDENT.text.replaceAll('PsRemedyCounter', 'PsRemedyNeverSent'),
    };
    const outcome = await run("'ran'", [needy]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('Could not define the module PsRemedyNeedsUnsent');
    expect((await run('[bool]$global:PsRemedyNeverSentRan', [])).result).toBe(false);
  });

  it('names the module when its text does not define', async () => {
    const broken = { name: 'PsRemedyBroken', sha256: 'broken', text: 'function Get-Broken {' };
    const outcome = await run("'ran'", [broken]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('Could not define the module PsRemedyBroken');
    const again = await run("'ran'", [broken]);
    expect(again.status, 'a module that failed to define is sent again').toBe('failed');
  });

  it('defines the modules again in a new session after a timeout replaced the old one', async () => {
    const v4 = counterModule('v4');
    expect((await run(SCRIPT, [v4])).status).toBe('ok');
    expect((await run('Start-Sleep -Seconds 30', [], 1000)).status).toBe('timedOut');
    expect(await run(SCRIPT, [v4])).toMatchObject({ status: 'ok', result: { version: 'v4' } });
  });
});
