import { readFile } from 'node:fs/promises';
import type { HostState } from '../../../lab/host-state.js';
import { type Lab, startLab } from '../../../lab/lab.js';
import type { ListenerStatus } from '../../../lab/rdp/rdp-listener.js';
import { redactKeyMaterial } from '../../../lab/redact-key-material.js';
import { listScenarioNames, loadScenario } from '../../../lab/scenario/scenario-loader.js';
import { compareStates, formatDifferences } from '../../../lab/state-diff.js';
import type { Io } from '../../run-action.js';

/**
 * The bodies of `psremedy lab list | show | diff | up`. They return exit codes and write through
 * the given Io, so tests can drive them without a terminal.
 */

/** `lab list`: every scenario with its expected causes and title. */
export async function listScenarios(io: Io, dir?: string): Promise<number> {
  const names = await listScenarioNames(dir);
  const rows = await Promise.all(names.map(async (name) => (await loadScenario(name, dir)).scenario));
  const width = Math.max(8, ...rows.map((s) => s.name.length));
  io.out(`${'SCENARIO'.padEnd(width)}  EXPECTED CAUSES / TITLE`);
  for (const s of rows) {
    io.out(
      `${s.name.padEnd(width)}  ${s.expectedCauses.length ? s.expectedCauses.join(', ') : '(none: healthy)'}`,
    );
    // The title goes under the name, indented a little, so it fits 80 columns beside long names.
    io.out(`    ${s.title}`);
  }
  return 0;
}

/** `lab show <scenario>`: what the scenario is, its changes, and how its host differs from the base. */
export async function showScenario(
  io: Io,
  name: string,
  options: { json?: boolean; dir?: string },
): Promise<number> {
  const loaded = await loadScenario(name, options.dir);
  if (options.json) {
    io.out(JSON.stringify(redactKeyMaterial(loaded.state), null, 2));
    return 0;
  }
  const s = loaded.scenario;
  io.out(`${s.name}: ${s.title}`);
  io.out(`file: ${s.file}`);
  if (s.description) io.out(`\n${s.description.trimEnd()}\n`);
  io.out(`base: ${s.base}`);
  io.out(`expected causes: ${s.expectedCauses.join(', ') || '(none)'}`);
  io.out(
    `reached through: ${s.management === 'console' ? 'the console (ssh ignores the adapter state)' : 'the network (ssh)'}`,
  );
  if (s.network.blockedPorts.length)
    io.out(`network path drops TCP ports: ${s.network.blockedPorts.join(', ')}`);
  io.out(`changes (${s.changes.length}):`);
  for (const c of s.changes) io.out(`  - ${c.op}: ${JSON.stringify(c.arg)}`);
  const differences = compareStates(loaded.baseState, loaded.state);
  io.out(`differences from ${s.base} (${differences.length}):`);
  if (differences.length) io.out(indent(formatDifferences(differences)));
  return 0;
}

/** `lab diff <a> <b>`: differences between two scenarios' hosts or state files; exit 1 when they differ. */
export async function diffStates(io: Io, a: string, b: string, dir?: string): Promise<number> {
  // One clock for both, so two loads of the same host differ only where the scenarios do.
  const now = new Date();
  const [stateA, stateB] = await Promise.all([
    readStateOrScenario(a, now, dir),
    readStateOrScenario(b, now, dir),
  ]);
  const differences = compareStates(stateA, stateB);
  if (differences.length === 0) {
    io.out(`${a} and ${b} describe the same host state`);
    return 0;
  }
  io.out(`${differences.length} difference${differences.length === 1 ? '' : 's'} from ${a} to ${b}:`);
  io.out(indent(formatDifferences(differences)));
  return 1;
}

/** `lab up <scenario>`: starts the lab, prints how to reach each host, and runs until interrupted. */
export async function upLab(
  io: Io,
  name: string,
  options: { stateDir?: string; remoting?: boolean; dir?: string; untilSignal?: Promise<unknown> },
): Promise<number> {
  let started = false;
  const lab = await startLab(name, {
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.dir ? { scenarioDir: options.dir } : {}),
    ...(options.remoting === false ? { powershell: false as const } : {}),
    onListenerStatus: (host, status) => {
      if (started) io.out(`[${host}] RDP listener now ${describeStatus(status)}`);
    },
  });
  started = true;
  try {
    for (const line of describeLab(lab)) io.out(line);
    await (options.untilSignal ?? waitForSignal());
    io.out('stopping the lab...');
  } finally {
    await lab.stop();
  }
  return 0;
}

/** How to reach a running lab, for people. */
export function describeLab(lab: Lab): string[] {
  const env = lab.localSessionOptions.env;
  const lines = [`lab "${lab.scenario.name}" is up: ${lab.scenario.title}`, `run folder: ${lab.runDir}`, ''];
  for (const host of lab.hosts) {
    lines.push(
      `host ${host.name} at ${host.address}, RDP port ${host.port}`,
      `  state file:    ${host.statePath}`,
      `  RDP listener:  ${describeStatus(host.listenerStatus())}`,
      `  try RDP:       xfreerdp /v:${host.address}:${host.port} /sec:nla /cert:ignore +auth-only /u:x /p:x`,
      '',
    );
  }
  lines.push('PowerShell session (bash):', `  export PATH='${env.PATH}'`);
  lines.push(
    `  export PSREMEDY_LAB_RUN_DIR='${env.PSREMEDY_LAB_RUN_DIR}' PSREMEDY_LAB_STATE='${env.PSREMEDY_LAB_STATE}'`,
  );
  lines.push('  then in PowerShell:');
  for (const script of lab.localSessionOptions.startupScripts) lines.push(`    Import-Module '${script}'`);
  for (const host of lab.hosts)
    lines.push(
      `    $s = New-PSSession -HostName ${host.name}; Invoke-Command -Session $s { Get-Service TermService }`,
    );
  lines.push('', 'Ctrl+C stops the lab.');
  return lines;
}

function describeStatus(status: ListenerStatus): string {
  const what = {
    listening: 'listening',
    refusing: 'refusing connections',
    dropping: 'dropping connections (clients time out)',
  }[status.mode];
  const why = status.reason ? ` (${status.reason})` : '';
  return `${what} on port ${status.port}${why}${status.error ? `; ${status.error}` : ''}`;
}

async function readStateOrScenario(nameOrFile: string, now: Date, dir?: string): Promise<HostState> {
  if (nameOrFile.endsWith('.json')) return JSON.parse(await readFile(nameOrFile, 'utf8')) as HostState;
  return (await loadScenario(nameOrFile, dir, now)).state;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
