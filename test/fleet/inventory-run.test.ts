/**
 * `psremedy run --inventory <file> [--limit]`: an inventory's hosts, narrowed by an Ansible host
 * pattern, become the fleet's targets (lab hosts from `lab:`), with the inventory's own params.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInventoryTargets } from '../../src/cli/fleet/inventory-members.js';
import { readFleetRun } from '../../src/fleet/fleet-journal.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { cli, RDP_PLAYBOOK } from '../e2e/run-cli-support.js';

const LABS = `apiVersion: psremedy/v1
kind: Inventory
hosts:
  - name: web01
    lab: firewall-closed
    params:
      ConnectTimeoutMs: 1500
  - name: web02
    lab: healthy
groups:
  web:
    hosts: [web01, web02]
`;

function inventoryFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'psremedy-inventory-run-'));
  const file = join(dir, 'fleet.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

const quiet = { err: () => {} };

describe('the targets of an inventory', () => {
  it('are its lab hosts named as in the inventory, narrowed by --limit, with their own params', async () => {
    const playbook = await loadPlaybook(RDP_PLAYBOOK);
    const { file } = inventoryFile(LABS);
    const targets = await readInventoryTargets(file, 'web:!web02', playbook, quiet);
    expect(targets.kind).toBe('lab');
    if (targets.kind !== 'lab') return;
    expect(targets.entries).toEqual([{ name: 'web01', scenario: 'firewall-closed' }]);
    const [web01] = targets.hosts;
    // The playbook's target param defaults to the host's name: the started lab host answers to it.
    expect(web01?.params).toEqual({ ConnectTimeoutMs: 1500, ComputerName: 'web01' });
  });

  it('are never a mix of lab hosts and real ones', async () => {
    const playbook = await loadPlaybook(RDP_PLAYBOOK);
    const mixed = LABS.replace('groups:', '  - name: srv01\n    address: 10.0.0.5\ngroups:');
    const { file } = inventoryFile(mixed);
    await expect(readInventoryTargets(file, undefined, playbook, quiet)).rejects.toThrow(
      /web01 is a lab host and srv01 is not; a run reaches either lab hosts or real ones/,
    );
    const real = await readInventoryTargets(file, 'srv01', playbook, quiet);
    expect(real.kind).toBe('real');
    expect(real.hosts.map((h) => [h.name, h.target])).toEqual([
      ['srv01', { kind: 'winrm', computerName: '10.0.0.5' }],
    ]);
  });
});

describe('psremedy run --inventory', () => {
  it('runs the hosts --limit selects as a fleet and journals them under the inventory names', async () => {
    const { dir, file } = inventoryFile(LABS);
    const home = join(dir, 'home');
    const run = await cli(
      ['run', RDP_PLAYBOOK, '--inventory', file, '--limit', 'web*:!web02', '--check'],
      home,
    );
    expect(run.stderr).toContain('lab fleet: WEB01=firewall-closed');
    expect(run.stdout).toMatch(/WEB01: .*firewall-closed/);
    expect(run.stdout).not.toContain('WEB02');
    // --check leaves the cause in place: problems remain (exit 1).
    expect(run.status).toBe(1);
    const fleetId = /fleet run (\S+)\)/.exec(run.stdout)?.[1] as string;
    expect(readFleetRun(home, fleetId).start.members.map((m) => m.host)).toEqual(['WEB01']);
  });

  it('refuses --limit without an inventory, and a limit that matches nothing', async () => {
    const { dir, file } = inventoryFile(LABS);
    const home = join(dir, 'home');
    const alone = await cli(['run', RDP_PLAYBOOK, '--limit', 'web', '--check'], home);
    expect(alone.stderr).toContain('--limit narrows an inventory: give --inventory <file>');
    expect(alone.status).toBe(2);
    const none = await cli(['run', RDP_PLAYBOOK, '--inventory', file, '--limit', 'db*', '--check'], home);
    expect(none.stderr).toMatch(/--limit "db\*" matches no host or group in .*fleet\.yaml; nearest: /);
    expect(none.status).toBe(2);
    // A bad --forks is refused before any lab host starts.
    const forks = await cli(['run', RDP_PLAYBOOK, '--inventory', file, '--forks', 'abc', '--check'], home);
    expect(forks.stderr).toContain('--forks abc is not a whole number of at least 1');
    expect(forks.stderr).not.toContain('lab fleet');
    expect(forks.status).toBe(2);
  });
});
