import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostState, writeHostState } from '../../src/lab/host-state.js';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { LAB_BIN_DIR } from '../../src/lab/lab-paths.js';
import { probeRdp } from '../support/rdp-probe.js';

/** A stand-in PowerShell for the ssh tests: prints what the lab host's server would be started with. */
const ECHO_POWERSHELL = {
  path: '/bin/sh',
  args: ['-c', 'echo "$PSREMEDY_LAB_STATE|$PSREMEDY_SSHS_STARTUP|$*"', 'sh'],
};

function runSsh(
  lab: Lab,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      join(LAB_BIN_DIR, 'ssh'),
      args,
      { env: { ...process.env, ...lab.localSessionOptions.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

describe('startLab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab('cert-expired', { powershell: ECHO_POWERSHELL });
  });
  afterAll(async () => lab?.stop());

  it('puts the host on its own loopback address, in its state and in the client view', async () => {
    const host = lab.hosts[0]!;
    expect(host.address).toMatch(/^127\.0\.0\.\d+$/);
    const state = await readHostState(host.statePath);
    expect(state.network?.address).toBe(host.address);
    expect(state.client.dns?.['SRV01.corp.example']).toEqual([host.address]);
    const ipv4 = (state.netAdapters[0]?.ipv4 ?? []) as Array<{ address: string }>;
    expect(ipv4[0]?.address).toBe(host.address);
    expect(lab.localSessionOptions.env.PSREMEDY_LAB_STATE).toBe(host.statePath);
    expect(lab.localSessionOptions.env.PATH?.startsWith(`${LAB_BIN_DIR}:`)).toBe(true);
    expect(host.target).toEqual({ kind: 'ssh', hostName: 'SRV01' });
  });

  it('writes a real expired certificate whose thumbprint is its SHA-1 and serves it', async () => {
    const host = lab.hosts[0]!;
    const state = await readHostState(host.statePath);
    const cert = state.certificates['Remote Desktop']![0]!;
    expect(cert.thumbprint).toBe(new X509Certificate(cert.certPem!).fingerprint.replaceAll(':', ''));
    expect(Date.parse(cert.notAfter)).toBeLessThan(Date.parse(state.clock));
    const result = await probeRdp({ host: host.address, port: host.port, timeoutMs: 3000 });
    expect(result.tls?.thumbprint).toBe(cert.thumbprint);
  });

  it('lets the stand-in ssh start the host PowerShell with its state and the lab module, by name or FQDN', async () => {
    for (const name of ['SRV01', 'srv01.corp.example', 'admin@SRV01']) {
      const run = await runSsh(lab, ['-o', 'ConnectTimeout=3', '-s', name, 'powershell']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(
        `${lab.hosts[0]!.statePath}|${join(LAB_BIN_DIR, '..', 'module', 'PSRemedyLab.psm1')}|-sshs`,
      );
    }
  });

  it('answers an unknown host as ssh does', async () => {
    const run = await runSsh(lab, ['-s', 'SRV99', 'powershell']);
    expect(run.code).toBe(255);
    expect(run.stderr).toContain('Could not resolve hostname srv99');
  });

  it('times the ssh connection out while the management adapter is down, and lets it in when it is up again', async () => {
    const host = lab.hosts[0]!;
    const state = await readHostState(host.statePath);
    state.netAdapters[0]!.status = 'Disabled';
    await writeHostState(host.statePath, state);
    await waitFor(() => existsSync(join(lab.runDir, 'ssh', 'srv01.unreachable')));
    const down = await runSsh(lab, ['-o', 'ConnectTimeout=1', '-s', 'SRV01', 'powershell']);
    expect(down).toMatchObject({ code: 255 });
    expect(down.stderr).toContain('Connection timed out');
    expect(down.ms).toBeGreaterThanOrEqual(1000);
    state.netAdapters[0]!.status = 'Up';
    await writeHostState(host.statePath, state);
    await waitFor(() => !existsSync(join(lab.runDir, 'ssh', 'srv01.unreachable')));
    expect((await runSsh(lab, ['-s', 'SRV01', 'powershell'])).code).toBe(0);
  });
});

describe('lab scenarios on the wire', () => {
  it('points a stale DNS record at an address where nothing listens', async () => {
    const lab = await startLab('dns-mismatch', { powershell: false });
    try {
      const host = lab.hosts[0]!;
      const answer = (await readHostState(host.statePath)).client.dns?.['SRV01.corp.example']?.[0];
      expect(answer).toMatch(/^127\.0\.0\.\d+$/);
      expect(answer).not.toBe(host.address);
      expect(await probeRdp({ host: answer!, port: 3389, timeoutMs: 2000 })).toMatchObject({
        failure: 'refused',
      });
      expect(await probeRdp({ host: host.address, port: 3389, timeoutMs: 2000 })).toMatchObject({
        stage: 'done',
      });
    } finally {
      await lab.stop();
    }
  });

  it('keeps a console-managed host reachable over ssh while its adapter is down', async () => {
    const lab = await startLab('adapter-down', { powershell: false });
    try {
      expect(lab.hosts[0]!.listenerStatus()).toMatchObject({ mode: 'dropping', reason: 'adapter-down' });
      expect(existsSync(join(lab.runDir, 'ssh', 'srv01.unreachable'))).toBe(false);
    } finally {
      await lab.stop();
    }
  });

  it('stops: the listener is gone and the temp run folder removed', async () => {
    const lab = await startLab('healthy', { powershell: false });
    const host = lab.hosts[0]!;
    await lab.stop();
    expect(existsSync(lab.runDir)).toBe(false);
    expect(await probeRdp({ host: host.address, port: host.port, timeoutMs: 2000 })).toMatchObject({
      failure: 'refused',
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 3 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}
