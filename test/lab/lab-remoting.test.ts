import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostState } from '../../src/lab/host-state.js';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { compareStates } from '../../src/lab/state-diff.js';
import { openSession } from '../../src/powershell/open-session.js';
import type { Session } from '../../src/powershell/types.js';
import { probeRdp } from '../support/rdp-probe.js';

/**
 * The whole path a playbook takes: a local session whose PATH has the stand-in ssh, New-PSSession
 * -HostName to the lab host, the lab module on the server side, and the RDP listener following
 * the state the module writes.
 */
describe('a lab host reached through New-PSSession -HostName', () => {
  let lab: Lab;
  let session: Session;
  beforeAll(async () => {
    lab = await startLab('termservice-stopped');
    session = await openSession(lab.hosts[0]!.target, lab.localSessionOptions);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await lab?.stop();
  });

  const run = async (script: string) => {
    const outcome = await session.run({ script, params: {}, timeoutMs: 60_000 });
    expect(outcome.status, JSON.stringify(outcome.error)).toBe('ok');
    return outcome.result as Record<string, unknown>;
  };

  it('runs scripts on the lab host, which sees its own state file', async () => {
    const result = await run(
      '[pscustomobject]@{ State = $env:PSREMEDY_LAB_STATE; TermService = [string](Get-Service -Name TermService).Status }',
    );
    expect(result).toEqual({ State: lab.hosts[0]!.statePath, TermService: 'Stopped' });
  });

  it('runs the relay and the server without tiered compilation, and a setting of the user wins', async () => {
    // The server's parent is the local relay (the stand-in ssh execs the server): both carry them.
    const result = await run(
      "$ppid = ([IO.File]::ReadAllText('/proc/self/stat') -split '\\) ')[1].Split(' ')[1]; " +
        '$relay = [IO.File]::ReadAllText("/proc/$ppid/environ").Split([char]0); ' +
        '[pscustomobject]@{ Server = "$env:DOTNET_TieredCompilation $env:DOTNET_GCgen0size"; ' +
        "Relay = @($relay | Where-Object { $_ -like 'DOTNET_TieredCompilation=*' }) }",
    );
    expect(result).toEqual({ Server: '0 0x400000', Relay: ['DOTNET_TieredCompilation=0'] });
    const launcher = join(lab.runDir, 'pwsh');
    const ask = (env: NodeJS.ProcessEnv) =>
      promisify(execFile)(launcher, ['-NoLogo', '-NoProfile', '-Command', '$env:DOTNET_TieredCompilation'], {
        env,
      });
    const { DOTNET_TieredCompilation: _, ...clean } = process.env;
    expect((await ask(clean)).stdout.trim()).toBe('0');
    expect((await ask({ ...clean, DOTNET_TieredCompilation: '1' })).stdout.trim()).toBe('1');
  });

  it('verifies a fix with a real handshake: starting TermService opens the RDP port', async () => {
    const host = lab.hosts[0]!;
    const before = await readHostState(host.statePath);
    expect(await probeRdp({ host: host.address, port: host.port, timeoutMs: 2000 })).toMatchObject({
      failure: 'refused',
    });
    await run('Start-Service -Name TermService; [pscustomobject]@{ Done = $true }');
    const deadline = Date.now() + 3000;
    while (host.listenerStatus().mode !== 'listening' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await probeRdp({ host: host.address, port: host.port, timeoutMs: 2000 })).toMatchObject({
      stage: 'done',
    });
    const changed = compareStates(before, await readHostState(host.statePath)).map((d) => d.path);
    expect(changed).toContain('services[TermService].status');
  });
});

describe('a lab host whose sessions run in ConstrainedLanguage (AppLocker / WDAC)', () => {
  it('refuses to open the target with words that name the language mode, not a .NET error', async () => {
    const fixture = new URL('../fixtures/lab/constrained-language.yaml', import.meta.url).pathname;
    const lab = await startLab(fixture);
    try {
      const opened = await openSession(lab.hosts[0]!.target, lab.localSessionOptions).then(
        (s) => ({ session: s, error: undefined }),
        (error: Error) => ({ session: undefined, error }),
      );
      await opened.session?.close();
      expect(opened.error?.message).toMatch(/runs in ConstrainedLanguage mode \(an AppLocker or WDAC/);
    } finally {
      await lab.stop();
    }
  }, 180_000);
});
