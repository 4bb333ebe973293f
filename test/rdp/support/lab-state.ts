/** Lab host state files for script tests: a shipped scenario's state, with real certificates, in a temp file. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostState, writeHostState } from '../../../src/lab/host-state.js';
import { materializeCertificates } from '../../../src/lab/scenario/materialize-state.js';
import { loadScenario } from '../../../src/lab/scenario/scenario-loader.js';

/** Writes the state of scenario `name` (after `change`, if given) to a fresh temp file and returns its path. */
export async function writeScenarioState(name: string, change?: (state: HostState) => void): Promise<string> {
  const loaded = await loadScenario(name);
  await materializeCertificates(loaded.state, loaded.pendingCertificates);
  change?.(loaded.state);
  const dir = await mkdtemp(join(tmpdir(), `psremedy-rdp-${name.replace(/\+/g, '-')}-`));
  const path = join(dir, 'host.json');
  await writeHostState(path, loaded.state);
  return path;
}

/** The state file as data, without what Windows itself changes on every service start or stop. */
export async function readComparableState(path: string): Promise<unknown> {
  const state = JSON.parse(await readFile(path, 'utf8')) as HostState & { events?: unknown };
  // Event logs grow (7036 on every start/stop, 1056 on renewal) and a restarted service gets a new PID.
  state.events = [];
  for (const service of state.services ?? []) delete (service as { processId?: number }).processId;
  return state;
}

/** Removes a temp state file's folder. */
export async function removeState(path: string): Promise<void> {
  await rm(join(path, '..'), { recursive: true, force: true });
}
