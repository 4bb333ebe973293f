import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureHostBuilt, findProjectRoot } from '../../src/powershell/build-host.js';
import { BASE_ARGS, runEngine } from './run-host.js';

const PINNED = '7.6.9';
let host = '';
let env: NodeJS.ProcessEnv = {};
const dir = mkdtempSync(join(tmpdir(), 'pshost-sshs-'));

beforeAll(async () => {
  host = await ensureHostBuilt();
  // A stand-in `ssh`: whatever New-PSSession passes, it becomes the remote end, `pshost -sshs`.
  const ssh = join(dir, 'ssh');
  writeFileSync(ssh, `#!/bin/sh\nexec "${host}" -sshs\n`);
  chmodSync(ssh, 0o755);
  writeFileSync(
    join(dir, 'startup.psm1'),
    "function Get-LabAnswer { 'answer from ' + $PID }\nExport-ModuleMember -Function Get-LabAnswer\n",
  );
  env = {
    PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    PSREMEDY_SSHS_STARTUP: join(dir, 'startup.psm1'),
  };
});

describe.skipIf(process.platform === 'win32')('pshost -sshs (remoting server over stdio)', () => {
  it('is pinned to engine 7.6.9, whose internal StdIOProcessMediator it calls by reflection', async () => {
    const r = await runEngine(host, [...BASE_ARGS, '-Command', '$PSVersionTable.PSVersion.ToString()']);
    const csproj = readFileSync(join(findProjectRoot(), 'pshost', 'pshost.csproj'), 'utf8');
    const server = readFileSync(join(findProjectRoot(), 'pshost', 'SshServer.cs'), 'utf8');
    const message = `engine changed: pshost -sshs calls SMA's internal StdIOProcessMediator.Run, checked only on ${PINNED}; re-test remoting, then update the pins`;
    expect(r.stdout.trim(), message).toBe(PINNED);
    const versions = [...csproj.matchAll(/Version="\[?([^"\]]+)\]?"/g)].map((m) => m[1]);
    expect(versions.length, 'package pins in pshost.csproj').toBe(6);
    for (const v of versions) expect(v, message).toBe(PINNED);
    expect(server, message).toContain(`PinnedEngineVersion = "${PINNED}"`);
  });

  it('opens a session through ssh, runs the startup module there, and a killed server breaks it without a hang', async () => {
    const script = [
      "$ErrorActionPreference = 'Stop'",
      '$s = New-PSSession -HostName lab -UserName admin',
      '$remote = Invoke-Command -Session $s { [pscustomobject]@{ pid = $PID; answer = Get-LabAnswer; version = $PSVersionTable.PSVersion.ToString() } }',
      'Stop-Process -Id $remote.pid -Force',
      'Start-Sleep -Milliseconds 300',
      '$sw = [Diagnostics.Stopwatch]::StartNew()',
      'try { Invoke-Command -Session $s { 1 }; $err = $null } catch { $err = $_.Exception.GetType().Name + ": " + $_.Exception.Message }',
      '[pscustomobject]@{ remotePid = $remote.pid; localPid = $PID; answer = $remote.answer; version = $remote.version; state = "$($s.State)"; error = $err; ms = $sw.ElapsedMilliseconds } | ConvertTo-Json -Compress',
    ].join('\n');
    const r = await runEngine(host, [...BASE_ARGS, '-Command', script], '', env);
    const result = JSON.parse(r.stdout) as Record<string, string | number>;
    expect(result.remotePid).not.toBe(result.localPid);
    expect(result.answer).toBe(`answer from ${result.remotePid}`);
    expect(result.version).toBe(PINNED);
    expect(result.state).toBe('Broken');
    expect(result.error).toMatch(/InvalidRunspaceStateException|PSRemotingTransportException/);
    expect(result.ms).toBeLessThan(5000);
  });

  it('refuses to serve when PSREMEDY_SSHS_STARTUP names a missing file', async () => {
    const r = await runEngine(host, ['-sshs'], '', { PSREMEDY_SSHS_STARTUP: join(dir, 'missing.ps1') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PSREMEDY_SSHS_STARTUP names');
  });
});
