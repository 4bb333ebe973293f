/**
 * Steps run from their approved text, never from a file: $PSScriptRoot and $PSCommandPath name a
 * drive that does not exist, so a path built from them cannot reach an unapproved file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/powershell/open-session.js';
import type { Session } from '../../src/powershell/types.js';
import { findTestPowerShell } from './test-powershell.js';

describe('the script root of a step', () => {
  let session: Session;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psremedy-root-'));
    session = await openSession({ kind: 'local' }, { powershell: await findTestPowerShell() });
  });
  afterAll(() => session?.close());

  const run = (script: string, params: Record<string, unknown> = {}) =>
    session.run({ script, params, timeoutMs: 30_000, scriptPath: 'ps-scripts/Test-Root.ps1' });

  it('names no folder on disk', async () => {
    const outcome = await run(
      '[pscustomobject]@{ root = $PSScriptRoot; command = $PSCommandPath; exists = (Test-Path -LiteralPath "$PSScriptRoot") }',
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.result).toMatchObject({ exists: false });
    const { root, command } = outcome.result as { root: string; command: string };
    expect(root).toMatch(/^psremedy-approved:/);
    expect(command).toBe('psremedy-approved:/script.ps1');
  });

  it('cannot dot-source a helper through it, even where the empty root would lead', async () => {
    // With an empty $PSScriptRoot, "$PSScriptRoot/lib/x.ps1" is "/lib/x.ps1"; run from a folder whose
    // relative twin exists, to show that neither that nor the current folder is reached.
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'Helper.ps1'), '$global:PsRemedyUnapprovedRan = $true\n');
    const outcome = await run(
      'param([string]$Dir) Set-Location -LiteralPath $Dir; . "$PSScriptRoot/lib/Helper.ps1"',
      { Dir: dir },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/psremedy-approved/);
    const after = await run('[bool]$global:PsRemedyUnapprovedRan');
    expect(after.result).toBe(false);
  });

  it('still reports the failing line of a script', async () => {
    const outcome = await run('$x = 1\n\nthrow "boom"\n');
    expect(outcome.error).toMatchObject({ message: 'boom', line: 3 });
    expect(outcome.error?.scriptStackTrace).toContain('ps-scripts/Test-Root.ps1: line 3');
  });
});
