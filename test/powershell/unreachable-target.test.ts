import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetUnreachableError } from '../../src/core/errors.js';
import type { UnreachableReason } from '../../src/core/unreachable.js';
import { listDescendants } from '../../src/powershell/kill-process-tree.js';
import { openSession } from '../../src/powershell/open-session.js';
import type { PowerShellExecutable } from '../../src/powershell/powershell-process.js';
import type { TargetSpec } from '../../src/powershell/types.js';
import { type SshTestHost, startSshTestHost } from '../support/ssh-hosts.js';
import { findTestPowerShell } from './test-powershell.js';

/** Opens a session that must fail; returns the error and how long it took. */
async function openFailing(target: TargetSpec, options: Parameters<typeof openSession>[1]) {
  const started = Date.now();
  const error = await openSession(target, options).then(
    async (session) => {
      await session.close();
      throw new Error('the session opened');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetUnreachableError);
  return { error: error as TargetUnreachableError, elapsedMs: Date.now() - started };
}

/** Client-side PowerShell processes (and their ssh) still running under this test process. */
async function leftoverProcesses(powershell: PowerShellExecutable): Promise<string[]> {
  const commands = (await listDescendants(process.pid)).map((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      return '';
    }
  });
  // The test's own sshd and the server side of sessions (-sshs) are not the client's leftovers.
  return commands.filter(
    (c) => (c.includes(powershell.path) && !c.includes('-sshs')) || /(^|\/)(ssh|sleep) /.test(c),
  );
}

describe('opening a session to a target that cannot be managed', () => {
  let powershell: PowerShellExecutable;
  let host: SshTestHost;
  let scratch = '';

  beforeAll(async () => {
    powershell = await findTestPowerShell();
    host = await startSshTestHost({ powershell, octet: 6 });
    scratch = mkdtempSync(join(tmpdir(), 'psremedy-unreachable-'));
  });
  afterAll(async () => {
    await host?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('says connectionRefused when sshd is down, fast, and leaves no PowerShell running', async () => {
    await host.kill();
    try {
      const { error, elapsedMs } = await openFailing(host.target, { powershell, env: host.env });
      expect(error.unreachable).toMatchObject({
        reason: 'connectionRefused',
        target: expect.stringContaining(host.target.hostName),
      });
      expect(error.unreachable.detail).toMatch(/Connection refused/);
      expect(elapsedMs).toBeLessThan(15_000);
      // A PowerShell left behind kept Node alive after the run: the hang of issue 13.
      expect(await leftoverProcesses(powershell)).toEqual([]);
    } finally {
      await host.restart();
    }
  });

  it('says authenticationFailed for a key the target does not accept', async (ctx) => {
    if (host.mode !== 'sshd') ctx.skip();
    const wrongKey = join(scratch, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const { error } = await openFailing({ ...host.target, keyFilePath: wrongKey }, { powershell });
    expect(error.unreachable.reason).toBe('authenticationFailed');
    expect(error.unreachable.detail).toMatch(/Permission denied/);
    expect(await leftoverProcesses(powershell)).toEqual([]);
  });

  it('says hostKeyMismatch when the host key is not the one known for the target', async (ctx) => {
    if (host.mode !== 'sshd' || host.target.kind !== 'ssh') ctx.skip();
    const otherKey = join(scratch, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const knownHosts = join(scratch, 'known_hosts');
    const publicKey = execFileSync('ssh-keygen', ['-y', '-f', otherKey]).toString().trim();
    writeFileSync(knownHosts, `[${host.target.hostName}]:${host.target.port} ${publicKey}\n`);
    const target = {
      ...host.target,
      sshOptions: { StrictHostKeyChecking: 'yes', UserKnownHostsFile: knownHosts },
    };
    const { error } = await openFailing(target, { powershell });
    expect(error.unreachable.reason).toBe('hostKeyMismatch');
    expect(error.unreachable.detail).toMatch(/Host key verification failed/);
  });

  it('says noWsmanClient for a WinRM target where PowerShell has no WSMan client (Linux)', async (ctx) => {
    if (process.platform === 'win32') ctx.skip();
    const { error, elapsedMs } = await openFailing(
      { kind: 'winrm', computerName: '127.0.0.1' },
      { powershell },
    );
    expect(error.unreachable).toMatchObject({ reason: 'noWsmanClient', target: 'winrm://127.0.0.1' });
    expect(error.message).toMatch(/WSMan/);
    expect(elapsedMs).toBeLessThan(15_000);
    expect(await leftoverProcesses(powershell)).toEqual([]);
  });

  it('gives up at the connect timeout when the transport hangs, and kills what it started', async () => {
    const bin = join(scratch, 'hanging-bin');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'ssh'), '#!/bin/sh\nexec sleep 120\n');
    chmodSync(join(bin, 'ssh'), 0o755);
    const { error, elapsedMs } = await openFailing(
      { kind: 'ssh', hostName: 'hangs.invalid', userName: 'root' },
      { powershell, env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, connectTimeoutMs: 2000 },
    );
    expect(error.unreachable.reason).toBe('timedOut');
    expect(error.unreachable.waitedMs).toBeGreaterThanOrEqual(2000);
    expect(elapsedMs).toBeLessThan(2000 + 5000);
    expect(await leftoverProcesses(powershell)).toEqual([]);
  });
});

describe('a target that drops mid-run', () => {
  it('tries to reconnect a bounded number of times, then answers unreachable at once', async () => {
    const powershell = await findTestPowerShell();
    const host = await startSshTestHost({ powershell, forceStandIn: true });
    const session = await openSession(host.target, { powershell, env: host.env });
    const run = async () => {
      const started = Date.now();
      const outcome = await session.run({ script: '"up"', params: {}, timeoutMs: 30_000 });
      return { outcome, elapsedMs: Date.now() - started };
    };
    try {
      expect((await run()).outcome.status).toBe('ok');
      await host.kill();
      expect((await run()).outcome.status).toBe('connectionLost');
      const reasons: (UnreachableReason | undefined)[] = [];
      for (let attempt = 0; attempt < 2; attempt++) reasons.push((await run()).outcome.unreachable?.reason);
      expect(reasons).toEqual(['connectionRefused', 'connectionRefused']);
      // Back up now, but the session has given up: it no longer pays a connect per step.
      await host.restart();
      const after = await run();
      expect(after.outcome).toMatchObject({
        status: 'unreachable',
        unreachable: { reason: 'connectionRefused' },
      });
      expect(after.elapsedMs).toBeLessThan(200);
    } finally {
      await session.close();
      await host.stop();
    }
  });
});
