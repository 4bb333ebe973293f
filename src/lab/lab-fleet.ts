/**
 * Several lab hosts in one lab run folder (`--lab web01=firewall-closed,web02=healthy`): each from
 * its own scenario, renamed to its entry's name, with its own loopback address and RDP listener.
 * One local session reaches all of them: the stand-in ssh knows every host, and the client's view
 * (DNS, hosts file) merges every host's state.
 */
import { mkdir } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { UsageError } from '../core/errors.js';
import { type Lab, type LabHost, type StartLabOptions, startLab } from './lab.js';
import { checkComputerName } from './scenario/rename-host.js';

/** One `[name=]scenario` entry of `--lab`. */
export interface LabEntry {
  /** The computer name to give the host; absent: the scenario's own. */
  name?: string;
  scenario: string;
}

/** A started host of a lab fleet, with the scenario it came from. */
export interface LabFleetHost extends LabHost {
  scenario: string;
}

/** A running lab of several hosts. */
export interface LabFleet {
  hosts: LabFleetHost[];
  runDir: string;
  localSessionOptions: Lab['localSessionOptions'];
  stop(): Promise<void>;
}

/** Lab hosts started at once: certificate keys and listeners cost CPU, the machine has few cores. */
const STARTING_AT_ONCE = 4;

/** Parses `web01=firewall-closed,web02=healthy` (a bare scenario keeps its host's own name). */
export function parseLabEntries(texts: string[]): LabEntry[] {
  const entries: LabEntry[] = [];
  for (const text of texts)
    for (const part of text.split(',')) {
      const item = part.trim();
      if (!item) continue;
      const at = item.indexOf('=');
      if (at < 0) {
        entries.push({ scenario: item });
        continue;
      }
      const name = item.slice(0, at).trim();
      const scenario = item.slice(at + 1).trim();
      if (!scenario) throw new UsageError(`--lab ${item}: name a scenario after "="`);
      checkComputerName(name);
      entries.push({ name, scenario });
    }
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.name) continue;
    const key = e.name.toUpperCase();
    if (seen.has(key))
      throw new UsageError(`--lab names the host ${e.name} twice; give each entry its own name`);
    seen.add(key);
  }
  return entries;
}

/** Starts one host per entry in `runDir`; a failure stops the ones already started. */
export async function startLabFleet(
  entries: LabEntry[],
  runDir: string,
  options: Pick<StartLabOptions, 'scenarioDir' | 'powershell'> = {},
): Promise<LabFleet> {
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  const names = await nameEntries(entries, options.scenarioDir);
  const labs: Lab[] = [];
  const stop = async () => {
    await Promise.all(labs.splice(0).map((l) => l.stop()));
  };
  try {
    for (let i = 0; i < entries.length; i += STARTING_AT_ONCE) {
      const batch = entries.slice(i, i + STARTING_AT_ONCE).map((entry, j) =>
        startLab(entry.scenario, { ...options, stateDir: runDir, hostName: names[i + j] }).then((lab) => {
          labs.push(lab);
          return lab;
        }),
      );
      await Promise.all(batch);
    }
    const byName = new Map(labs.map((l) => [l.hosts[0]?.name, l]));
    const hosts = names.map((name, i): LabFleetHost => {
      const lab = byName.get(name?.toUpperCase());
      const host = lab?.hosts[0];
      if (!lab || !host) throw new Error(`lab host ${name} did not start`);
      return { ...host, scenario: entries[i]?.scenario ?? lab.scenario.name };
    });
    const first = labs[0];
    if (!first) throw new UsageError('--lab names no scenario');
    const clientStatePath = hosts.map((h) => h.statePath).join(delimiter);
    return {
      hosts,
      runDir,
      localSessionOptions: {
        ...first.localSessionOptions,
        env: { ...first.localSessionOptions.env, PSREMEDY_LAB_STATE: clientStatePath },
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Each entry's computer name: its own, else its scenario's host name, made unique with -2, -3. */
async function nameEntries(entries: LabEntry[], scenarioDir?: string): Promise<string[]> {
  const { loadScenario } = await import('./scenario/scenario-loader.js');
  const taken = new Set(entries.flatMap((e) => (e.name ? [e.name.toUpperCase()] : [])));
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name) {
      names.push(entry.name.toUpperCase());
      continue;
    }
    const own = (await loadScenario(entry.scenario, scenarioDir)).state.hostName.toUpperCase();
    let name = own;
    for (let n = 2; taken.has(name); n++) name = `${own.slice(0, 12)}-${n}`;
    taken.add(name);
    names.push(name);
  }
  return names;
}
