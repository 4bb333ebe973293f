import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostState } from '../../src/lab/host-state.js';
import { writeHostState } from '../../src/lab/host-state.js';
import { claimLoopbackAddress, type LoopbackClaim } from '../../src/lab/loopback-addresses.js';
import { type RdpListener, startRdpListener } from '../../src/lab/rdp/rdp-listener.js';
import { materializeCertificates } from '../../src/lab/scenario/materialize-state.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';

/** A listener on its own loopback address over a state file the test rewrites. */
export interface ListenerFixture {
  address: string;
  statePath: string;
  listener: RdpListener;
  /** Writes `state` and waits until the listener has re-read it. */
  setState(state: HostState): Promise<void>;
  close(): Promise<void>;
}

/** The state a shipped scenario produces, with real certificates. */
export async function scenarioState(name: string): Promise<HostState> {
  const loaded = await loadScenario(name);
  await materializeCertificates(loaded.state, loaded.pendingCertificates);
  return loaded.state;
}

/** Starts a listener over `state` in a temp folder. */
export async function startListenerFixture(
  state: HostState,
  blockedPorts: number[] = [],
): Promise<ListenerFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'psremedy-listener-'));
  const statePath = join(dir, 'host.json');
  await writeHostState(statePath, state);
  const claim: LoopbackClaim = await claimLoopbackAddress();
  const listener = await startRdpListener({ address: claim.address, statePath, blockedPorts });
  return {
    address: claim.address,
    statePath,
    listener,
    setState: async (next) => {
      await writeHostState(statePath, next);
      await listener.reconcile();
    },
    close: async () => {
      await listener.close();
      await claim.release();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Registry keys tests change. */
export const KEYS = {
  rdpTcp: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp',
  terminalServer: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server',
  policy: 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services',
  tls12: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server',
  tls10: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server',
  tls11: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.1\\Server',
};

/** A copy of `state` with registry values set (key created when missing). */
export function withRegistry(
  state: HostState,
  key: string,
  values: Record<string, number | string>,
): HostState {
  const next = structuredClone(state);
  next.registry[key] ??= {};
  for (const [name, value] of Object.entries(values)) {
    next.registry[key]![name] =
      typeof value === 'number' ? { type: 'DWord', value } : { type: 'Binary', value };
  }
  return next;
}

/** A copy of `state` changed by `edit`. */
export function edited(state: HostState, edit: (s: HostState) => void): HostState {
  const next = structuredClone(state);
  edit(next);
  return next;
}
