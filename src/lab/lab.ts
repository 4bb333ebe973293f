import { chmod, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { SESSION_CARRIER_RUNTIME } from '../powershell/runtime-settings.js';
import type { TargetSpec } from '../powershell/types.js';
import { writeHostState } from './host-state.js';
import { LAB_BIN_DIR, labClientModule, labServerModule } from './lab-paths.js';
import { claimLoopbackAddress, type LoopbackClaim } from './loopback-addresses.js';
import { type ListenerStatus, type RdpListener, startRdpListener } from './rdp/rdp-listener.js';
import { materializeCertificates } from './scenario/materialize-state.js';
import { hostAliases, placeHost, usesStaleAddress } from './scenario/prepare-host-state.js';
import { renameLabHost } from './scenario/rename-host.js';
import { loadScenario } from './scenario/scenario-loader.js';
import type { Scenario } from './scenario/scenario-schema.js';
import { type LabTaskScheduler, startTaskScheduler } from './task-scheduler.js';

/** One running lab host. */
export interface LabHost {
  /** The host name of its state (e.g. SRV01); the stand-in ssh also answers to its FQDN. */
  name: string;
  /** Its loopback address (127.0.0.x): the RDP listener's address and what the client's DNS answers. */
  address: string;
  /** The RDP port its state names when it started (the listener follows later changes). */
  port: number;
  /** Its state file: a fresh copy for this run, changed by the lab module as scripts run. */
  statePath: string;
  /** How a session reaches it: New-PSSession -HostName through the stand-in ssh. */
  target: TargetSpec;
  /** What its RDP listener does right now. */
  listenerStatus(): ListenerStatus;
  /** Its Task Scheduler (real timers in the lab process; `boot()` fires startup triggers). */
  tasks: LabTaskScheduler;
}

/** A running lab. */
export interface Lab {
  scenario: Scenario;
  hosts: LabHost[];
  /** The lab run folder (state files, stand-in ssh entries). */
  runDir: string;
  /** PSREMEDY_LAB_STATE for the client-side module: every host's state file, joined with the path delimiter. */
  clientStatePath: string;
  /** Pass to openSession/SessionPool for the local session: stand-in ssh first on PATH, lab env, client module. */
  localSessionOptions: { env: Record<string, string>; startupScripts: string[] };
  stop(): Promise<void>;
}

/** How to start a lab. */
export interface StartLabOptions {
  /** Where to put the run folder (kept after stop); default a temp folder removed on stop. */
  stateDir?: string;
  /** Folder of scenario files when `scenario` is a bare name (default lab/scenarios). */
  scenarioDir?: string;
  /** The PowerShell the stand-in ssh starts (-sshs); found with findPowerShell() when omitted. `false`: listeners only. */
  powershell?: { path: string; args: string[] } | false;
  /** Called when a host's listener changes what it does (for `lab up`). */
  onListenerStatus?: (host: string, status: ListenerStatus) => void;
  /** Start the scenario's host under this computer name instead of its own (a fleet of lab hosts). */
  hostName?: string;
}

/** Starts the hosts of a scenario: fresh state copies with real certificates, RDP listeners, and the ssh stand-in's entries. */
export async function startLab(scenario: string, options: StartLabOptions = {}): Promise<Lab> {
  const loaded = await loadScenario(scenario, options.scenarioDir);
  const runDir =
    options.stateDir ??
    (await mkdtemp(join(tmpdir(), `psremedy-lab-${loaded.scenario.name.replace(/\+/g, '-')}-`)));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    await mkdir(join(runDir, 'ssh'), { recursive: true });
    await mkdir(join(runDir, 'hosts'), { recursive: true });
    if (!options.stateDir) cleanups.push(() => rm(runDir, { recursive: true, force: true }));
    await writeLauncher(runDir, options.powershell);

    const state = loaded.state;
    if (options.hostName) renameLabHost(state, options.hostName, loaded.pendingCertificates);
    const claim = await claimLoopbackAddress();
    cleanups.push(claim.release);
    let stale: LoopbackClaim | undefined;
    if (usesStaleAddress(state)) {
      stale = await claimLoopbackAddress();
      cleanups.push(stale.release);
    }
    await materializeCertificates(state, loaded.pendingCertificates);
    placeHost(state, { address: claim.address, ...(stale ? { staleAddress: stale.address } : {}) });
    const statePath = join(runDir, 'hosts', `${state.hostName}.json`);
    await writeHostState(statePath, state);

    const aliases = hostAliases(state);
    for (const alias of aliases) await writeFile(join(runDir, 'ssh', alias), statePath);
    const reachable = async (status: ListenerStatus) => {
      const down = status.reason === 'adapter-down' && loaded.scenario.management !== 'console';
      for (const alias of aliases) {
        const marker = join(runDir, 'ssh', `${alias}.unreachable`);
        if (down) await writeFile(marker, status.reason ?? '');
        else await unlink(marker).catch(() => undefined);
      }
    };
    // Marker writes run in order, so a quick down-then-up cannot leave a stale marker behind.
    let markers: Promise<void> = Promise.resolve();
    const listener: RdpListener = await startRdpListener({
      address: claim.address,
      statePath,
      blockedPorts: loaded.scenario.network.blockedPorts,
      onStatus: (status) => {
        markers = markers.then(() => reachable(status)).catch(() => undefined);
        options.onListenerStatus?.(state.hostName, status);
      },
    });
    cleanups.push(() => listener.close());
    const tasks = startTaskScheduler(runDir, statePath);
    cleanups.push(() => tasks.stop());
    markers = markers.then(() => reachable(listener.status()));
    await markers;

    const host: LabHost = {
      name: state.hostName,
      address: claim.address,
      port: listener.status().port,
      statePath,
      target: { kind: 'ssh', hostName: state.hostName },
      listenerStatus: () => listener.status(),
      tasks,
    };
    const clientStatePath = [statePath].join(delimiter);
    const clientModule = labClientModule();
    return {
      scenario: loaded.scenario,
      hosts: [host],
      runDir,
      clientStatePath,
      localSessionOptions: {
        env: {
          PATH: `${LAB_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
          PSREMEDY_LAB_RUN_DIR: runDir,
          PSREMEDY_LAB_STATE: clientStatePath,
        },
        startupScripts: clientModule ? [clientModule] : [],
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Writes `pwsh` (exec the PowerShell host) and `server-module` into the run folder for the stand-in ssh. */
async function writeLauncher(runDir: string, powershell: StartLabOptions['powershell']): Promise<void> {
  await writeFile(join(runDir, 'server-module'), labServerModule());
  if (powershell === false) return;
  const found = powershell === undefined ? await findLabPowerShell() : powershell;
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = [found.path, ...found.args].map(quote).join(' ');
  const launcher = join(runDir, 'pwsh');
  await writeFile(launcher, `#!/bin/sh\n${runtimeDefaults()}exec ${command} "$@"\n`);
  await chmod(launcher, 0o755);
}

/** Shell lines giving the -sshs server the carrier runtime settings, unless its environment sets them. */
function runtimeDefaults(): string {
  return Object.entries(SESSION_CARRIER_RUNTIME)
    .map(([name, value]) => `: "\${${name}:=${value}}"; export ${name}\n`)
    .join('');
}

async function findLabPowerShell(): Promise<{ path: string; args: string[] }> {
  const { findPowerShell } = await import('../powershell/find-powershell.js');
  return findPowerShell();
}
