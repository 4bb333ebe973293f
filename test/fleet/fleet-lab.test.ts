/**
 * A fleet of lab hosts in different broken states (and healthy ones), one unreachable host among
 * them, through real PowerShell remoting: one fleet run with --yes, its summary and exit code,
 * the fleet report, a fleet rollback, then an interactive fleet run answered by a scripted prompt.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeForFleet } from '../../src/cli/fleet/fleet-exit-code.js';
import { createFleetPromptAsker, type FleetPromptAdapter } from '../../src/cli/fleet/fleet-prompts.js';
import { listFleet, renderFleetRunReport, rollbackFleet } from '../../src/cli/fleet/fleet-run-commands.js';
import { createFleetDecider } from '../../src/fleet/fleet-decider.js';
import { readFleetRun } from '../../src/fleet/fleet-journal.js';
import { type FleetMember, type FleetResult, runFleet } from '../../src/fleet/run-fleet.js';
import type { HostState } from '../../src/lab/host-state.js';
import { readHostState } from '../../src/lab/host-state.js';
import { type LabFleet, startLabFleet } from '../../src/lab/lab-fleet.js';
import { loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { compareWithStart } from '../../src/scenario-test/compare-host-files.js';
import { createColors } from '../../src/ui/colors.js';

const PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const FLEET = [
  ['web01', 'firewall-closed'],
  ['web02', 'healthy'],
  ['web03', 'cert-expired'],
  ['web04', 'termservice-stopped'],
  ['web05', 'rdp-disabled'],
  ['web06', 'healthy'],
  ['web07', 'wrong-port'],
  ['web08', 'firewall-closed'],
  ['web09', 'security-layer-mismatch'],
  ['web10', 'tls-disabled'],
] as const;
/** Planted connect timeouts (a closed firewall) cost 1.5 s instead of the default. */
const PARAMS = { ConnectTimeoutMs: '1500' };

let lab: LabFleet;
let stateDir: string;
let start: Map<string, HostState>;
let fleet: FleetResult;
const quiet = { out: () => {}, err: () => {} };

function membersOf(names?: string[]): FleetMember[] {
  return lab.hosts
    .filter((h) => !names || names.includes(h.name))
    .map((h) => ({
      name: h.name,
      target: h.target,
      labRecord: { scenario: h.scenario, statePaths: [h.statePath] },
    }));
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'psremedy-fleet-'));
  lab = await startLabFleet(
    FLEET.map(([name, scenario]) => ({ name, scenario })),
    join(stateDir, 'labs', 'fleet'),
  );
  start = new Map();
  for (const h of lab.hosts) start.set(h.name, await readHostState(h.statePath));
  const playbook = await loadPlaybook(PLAYBOOK);
  fleet = await runFleet({
    playbook,
    // A host no DNS (and no stand-in ssh) knows: unreachable, among the others.
    members: [...membersOf(), { name: 'ghost01', target: { kind: 'ssh', hostName: 'ghost01' } }],
    params: PARAMS,
    stateDir,
    forks: 6,
    clientSessions: 3,
    sessionOptions: { ...lab.localSessionOptions, connectTimeoutMs: 120_000 },
    mode: { interactive: false, yes: true },
    psremedyVersion: 'test',
  });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
});

describe('a fleet run over ten lab hosts and one unreachable host', () => {
  it('starts every lab host under its own name, address and certificate', () => {
    expect(lab.hosts.map((h) => h.name)).toEqual(FLEET.map(([n]) => n.toUpperCase()));
    expect(new Set(lab.hosts.map((h) => h.address)).size).toBe(FLEET.length);
    const web03 = start.get('WEB03');
    expect(web03?.hostName).toBe('WEB03');
    expect(web03?.certificates?.['Remote Desktop']?.[0]?.subject).toBe('CN=WEB03.corp.example');
    expect(Object.keys(web03?.client.dns ?? {})).toEqual(['WEB03.corp.example']);
  });

  it('diagnoses each host as its scenario says and repairs it, healthy hosts reporting no cause', async () => {
    for (const [name, scenario] of FLEET) {
      const host = fleet.hosts.find((h) => h.host === name.toUpperCase());
      const expected = (await loadScenario(scenario)).scenario.expectedCauses;
      const detected = host?.causes.filter((c) => c.detected).map((c) => c.cause);
      expect(detected, name).toEqual(expected);
      expect(host?.outcome, name).toBe(expected.length === 0 ? 'ok' : 'repaired');
      expect(host?.remaining, name).toEqual([]);
    }
  });

  it('isolates the unreachable host, counts every outcome, and exits with the worst (5)', () => {
    const ghost = fleet.hosts.find((h) => h.host === 'ghost01');
    expect(ghost?.outcome).toBe('unreachable');
    expect(fleet.summary.counts).toMatchObject({
      ok: 2,
      repaired: 8,
      unreachable: 1,
      failed: 0,
      rolledBack: 0,
    });
    expect(fleet.summary.causes.find((c) => c.cause === 'firewall-closed')).toMatchObject({
      hosts: ['WEB01', 'WEB08'],
      fixedOn: ['WEB01', 'WEB08'],
    });
    expect(
      exitCodeForFleet(
        fleet.hosts.map((h) => h.outcome),
        fleet.interrupted,
      ),
    ).toBe(5);
    // Client steps of eleven targets shared at most three local sessions.
    expect(fleet.peakClientSessions).toBeLessThanOrEqual(3);
  });

  it('journals the fleet and each host, lists them, and reports every host with an overview', () => {
    const run = readFleetRun(stateDir, fleet.fleetId);
    expect(run.start.members).toHaveLength(11);
    expect(run.ends.get('web01')).toMatchObject({
      outcome: 'repaired',
      causes: ['firewall-closed'],
      fixed: ['open_firewall'],
    });
    const lines: string[] = [];
    listFleet(fleet.fleetId, { stateDir, json: true }, { out: (t) => lines.push(t), err: () => {} });
    const listed = JSON.parse(lines.join('\n')) as { hosts: Array<{ host: string; status: string }> };
    expect(listed.hosts.find((h) => h.host === 'WEB02')?.status).toBe('ok');
    expect(listed.hosts.find((h) => h.host === 'WEB01')?.status).toBe('changed');
    const html = renderFleetRunReport(fleet.fleetId, stateDir, 'html');
    expect(html).toMatch(
      /<a href="#host-web01">WEB01<\/a><\/td><td>repaired<\/td><td>firewall-closed \(\d+%\)<\/td><td>open_firewall<\/td>/,
    );
    expect(html).toMatch(/<a href="#host-ghost01">ghost01<\/a><\/td><td>unreachable<\/td>/);
    for (const [name] of FLEET) expect(html).toContain(`<article id="host-${name}">`);
    expect(html).toContain('id="host-web10-summary"');
  });

  it('rolls back every host of the fleet to its state at the start', async () => {
    expect(await rollbackFleet(fleet.fleetId, { stateDir, param: [], output: 'ndjson' }, quiet)).toBe(
      'rolledBack',
    );
    const paths = new Map(lab.hosts.map((h) => [h.name, h.statePath]));
    for (const c of await compareWithStart(start, paths)) expect(c.differences, c.host).toEqual([]);
  }, 600_000);

  it('asks one question per fix across the hosts, and applies a chosen fix on the chosen hosts only', async () => {
    const asked: string[] = [];
    const prompts: FleetPromptAdapter = {
      async select(q) {
        asked.push(q.message);
        return (q.message.startsWith('Apply open_firewall') ? 'choose' : 'all') as never;
      },
      async confirm() {
        return true;
      },
      async checkbox(q) {
        asked.push(q.message);
        return ['WEB08'] as never;
      },
    };
    const controller = new AbortController();
    const playbook = await loadPlaybook(PLAYBOOK);
    const decider = createFleetDecider(
      createFleetPromptAsker(prompts, createColors({ isTTY: false }), () => {}),
      playbook.doc.steps.map((s) => s.id),
      controller.signal,
    );
    const again = await runFleet({
      playbook,
      members: membersOf(['WEB01', 'WEB03', 'WEB08']),
      params: PARAMS,
      stateDir,
      sessionOptions: { ...lab.localSessionOptions, connectTimeoutMs: 120_000 },
      mode: { interactive: true },
      decider,
      signal: controller.signal,
      psremedyVersion: 'test',
    });
    const fixQuestions = asked.filter((m) => m.startsWith('Apply '));
    expect(fixQuestions.map((m) => m.split(':')[0])).toEqual([
      'Apply open_firewall',
      'Apply open_firewall on which hosts?',
      'Apply renew_certificate',
    ]);
    expect(fixQuestions[0]).toMatch(/affected hosts \(2\):\n {4}WEB01: firewall-closed/);
    const outcome = (h: string) => again.hosts.find((x) => x.host === h)?.outcome;
    expect([outcome('WEB01'), outcome('WEB02'), outcome('WEB03'), outcome('WEB08')]).toEqual([
      'failed',
      'ok',
      'repaired',
      'repaired',
    ]);
    expect(again.hosts.find((x) => x.host === 'WEB01')?.remaining).toEqual(['firewall-closed']);
  }, 600_000);
});
