import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerShellError } from '../../src/core/errors.js';
import { openSession } from '../../src/powershell/open-session.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';
import { SessionPool } from '../../src/powershell/session-pool.js';
import type { Session } from '../../src/powershell/types.js';
import { type SshTestHost, startSshTestHost } from '../support/ssh-hosts.js';
import {
  CANARY_SCRIPT,
  ECHO_SCRIPT,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
  ONE_MEGABYTE,
} from './hostile-values.js';
import { findTestPowerShell } from './test-powershell.js';

describe('a remote target over real PowerShell remoting (SSH subsystem)', () => {
  let powershell: PowerShellExecutable;
  let host: SshTestHost;
  let session: Session;

  beforeAll(async () => {
    powershell = await findTestPowerShell();
    host = await startSshTestHost({ powershell, octet: 2 });
    if (host.mode === 'stand-in') {
      console.warn(`remote tests run through a stand-in ssh, not a real sshd: ${host.reason}`);
    }
    session = await openSession(host.target, { powershell, env: host.env });
  });
  afterAll(async () => {
    await session?.close();
    await host?.stop();
  });

  const run = (script: string, params: Record<string, unknown> = {}, timeoutMs = 30_000) =>
    session.run({ script, params, timeoutMs });

  it('runs on the target, not in the local PowerShell', async () => {
    const outcome = await run('[pscustomobject]@{ pid = $PID; remote = $null -ne $PSSenderInfo }');
    expect(outcome).toMatchObject({ status: 'ok', result: { remote: true } });
  });

  it('passes every hostile string byte for byte and executes none', async () => {
    for (const [name, value] of Object.entries(HOSTILE_STRINGS)) {
      const outcome = await run(ECHO_SCRIPT, { Value: value });
      expect(outcome.result, name).toEqual({ value, type: 'System.String', length: value.length });
    }
    expect((await run(CANARY_SCRIPT)).result).toBe('clean');
  });

  it('passes nulls, booleans, big ints, nested objects and arrays with their types', async () => {
    for (const { name, value, type } of HOSTILE_VALUES) {
      const outcome = await run(ECHO_SCRIPT, { Value: value });
      expect(outcome.result, name).toEqual({ value, type, length: -1 });
    }
  });

  it('passes a 1 MB string intact', async () => {
    const outcome = await run(ECHO_SCRIPT, { Value: ONE_MEGABYTE });
    expect((outcome.result as { value: string }).value === ONE_MEGABYTE).toBe(true);
  });

  it('reports a script error with message, type and line, and a parse error with its line', async () => {
    const thrown = await run('param()\n\nthrow [System.IO.FileNotFoundException]::new("no cert file")');
    expect(thrown).toMatchObject({
      status: 'failed',
      error: { message: 'no cert file', type: 'System.IO.FileNotFoundException', line: 3 },
    });
    const parse = await run('param()\n$x = (1 +\n');
    expect(parse).toMatchObject({
      status: 'failed',
      error: { type: 'System.Management.Automation.ParseException' },
    });
    expect(parse.error?.line).toBeGreaterThanOrEqual(2);
  });

  it('captures streams apart from the result, and "What if:" lines from the target', async () => {
    const script = [
      '[CmdletBinding(SupportsShouldProcess)] param()',
      'Write-Verbose "v"; Write-Warning "w"; Write-Information "i"',
      'if ($PSCmdlet.ShouldProcess("TermService", "Restart service")) { "restarted" } else { "previewed" }',
    ].join('\n');
    const outcome = await session.run({ script, params: {}, timeoutMs: 30_000, whatIf: true });
    expect(outcome).toMatchObject({
      status: 'ok',
      result: 'previewed',
      warnings: ['w'],
      verbose: ['v'],
      information: ['i'],
      whatIf: ['What if: Performing the operation "Restart service" on target "TermService".'],
    });
  });

  it('times out in about the timeout, stops the script on the target, and the next step works', async () => {
    const marker = join(host.dir, 'late-write');
    await run('$global:psremedyRemoteKept = "kept"');
    const started = Date.now();
    const outcome = await run(
      'param($Path) Start-Sleep -Seconds 3; [IO.File]::WriteAllText($Path, "ran")',
      { Path: marker },
      1000,
    );
    const elapsed = Date.now() - started;
    expect(outcome.status).toBe('timedOut');
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(1000 + 4000);
    const next = await run('$global:psremedyRemoteKept');
    expect(next.status).toBe('ok');
    // The pipeline was stopped on the target, so the session (and its state) survived.
    expect(outcome.sessionReset).toBe(false);
    expect(next.result).toBe('kept');
    await new Promise((r) => setTimeout(r, 3000));
    expect(existsSync(marker)).toBe(false);
  });
});

describe('losing the target', () => {
  let powershell: PowerShellExecutable;
  let host: SshTestHost;

  beforeAll(async () => {
    powershell = await findTestPowerShell();
    host = await startSshTestHost({ powershell, octet: 3 });
  });
  afterAll(() => host?.stop());

  it('answers connectionLost (not failed) when the target sshd is killed mid-request, unreachable while it is down, and reconnects once it is back', async () => {
    const session = await openSession(host.target, { powershell, env: host.env });
    try {
      await session.run({ script: '$global:psremedyState = 1', params: {}, timeoutMs: 30_000 });
      const running = session.run({
        script: 'Start-Sleep -Seconds 20; "finished"',
        params: {},
        timeoutMs: 60_000,
      });
      await new Promise((r) => setTimeout(r, 1000));
      const killedAt = Date.now();
      await host.kill();
      const outcome = await running;
      expect(outcome.status).toBe('connectionLost');
      expect(outcome.sessionReset).toBe(true);
      expect(Date.now() - killedAt).toBeLessThan(10_000);

      const whileDown = await session.run({ script: '"up?"', params: {}, timeoutMs: 30_000 });
      expect(whileDown).toMatchObject({
        status: 'unreachable',
        unreachable: { reason: 'connectionRefused' },
      });
      expect(whileDown.error?.message).toContain(host.target.hostName);

      await host.restart();
      const back = await session.run({
        script: '$null -eq $global:psremedyState',
        params: {},
        timeoutMs: 30_000,
      });
      expect(back).toMatchObject({ status: 'ok', result: true });
    } finally {
      await session.close();
    }
  });

  it('throws PowerShellError naming the target when it cannot be reached at open', async () => {
    await host.kill();
    const error = await openSession(host.target, { powershell, env: host.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as Error).message).toContain(host.target.hostName);
    await host.restart();
  });
});

describe('the session pool and the stand-in transport', () => {
  it('keeps one local session and one per target, served through a stand-in ssh where no sshd runs', async () => {
    const powershell = await findTestPowerShell();
    const standIn = await startSshTestHost({ powershell, forceStandIn: true });
    const pool = new SessionPool({ powershell, env: standIn.env });
    try {
      const local = await pool.get({ kind: 'local' });
      expect(await pool.get({ kind: 'local' })).toBe(local);
      const remote = await pool.get(standIn.target);
      expect(await pool.get({ ...standIn.target })).toBe(remote);
      expect(remote).not.toBe(local);
      const [here, there] = await Promise.all([
        local.run({ script: '$null -eq $PSSenderInfo', params: {}, timeoutMs: 30_000 }),
        remote.run({ script: '$null -ne $PSSenderInfo', params: {}, timeoutMs: 30_000 }),
      ]);
      expect([here.result, there.result]).toEqual([true, true]);
      await standIn.kill();
      expect((await remote.run({ script: '1', params: {}, timeoutMs: 30_000 })).status).toBe(
        'connectionLost',
      );
    } finally {
      await pool.closeAll();
      await standIn.stop();
    }
  });

  it('never puts a WinRM password into errors or diagnostics', async () => {
    const powershell = await findTestPowerShell();
    const seen: string[] = [];
    const password = 'Sup3r-S3cret-Pa55';
    const error = await openSession(
      { kind: 'winrm', computerName: 'winrm.invalid', credential: { userName: 'CONTOSO\\admin', password } },
      {
        powershell,
        onDiagnostics: (text, target) => seen.push(`${target} ${text}`),
        connectTimeoutMs: 30_000,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    const everything = `${(error as Error).message}\n${JSON.stringify(error)}\n${seen.join('\n')}`;
    expect(everything).toContain('winrm.invalid');
    expect(everything).not.toContain(password);
  });
});
