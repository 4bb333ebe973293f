/**
 * A finished `--lab` run's hosts, listening again for `psremedy resume`: each host's RDP listener
 * on the loopback address its state file names (and its Task Scheduler), so the resumed run's client checks (TCP, the RDP
 * handshake) reach the same simulated host the run started on, never a real one.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { HostState } from './host-state.js';
import { claimLoopbackAddressAt } from './loopback-addresses.js';
import { startRdpListener } from './rdp/rdp-listener.js';
import { loadScenario } from './scenario/scenario-loader.js';
import { startTaskScheduler } from './task-scheduler.js';

/** Starts the listeners of a lab run's hosts again; `stop` closes them and frees the addresses. */
export async function reopenLabListeners(
  scenario: string,
  statePaths: string[],
): Promise<{ stop(): Promise<void> }> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const blockedPorts = await loadScenario(scenario)
      .then((loaded) => loaded.scenario.network.blockedPorts)
      .catch(() => []);
    for (const statePath of statePaths) {
      const state = JSON.parse(await readFile(statePath, 'utf8')) as HostState;
      const address = state.network?.address;
      if (!address) throw new UsageError(`${statePath} names no address for lab host ${state.hostName}`);
      const claim = await claimLoopbackAddressAt(address);
      if (!claim)
        throw new UsageError(
          `the address ${address} of lab host ${state.hostName} is in use by another lab; stop it and resume again`,
        );
      cleanups.push(claim.release);
      const listener = await startRdpListener({ address, statePath, blockedPorts });
      cleanups.push(() => listener.close());
      // Its Task Scheduler too: a revert task the run left armed still fires (runDir/hosts/<host>.json).
      const tasks = startTaskScheduler(dirname(dirname(statePath)), statePath);
      cleanups.push(() => tasks.stop());
    }
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
