import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../e2e/run-cli-support.js';

const fixture = (name: string) => new URL(`../fixtures/inventories/${name}`, import.meta.url).pathname;
const psremedy = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('psremedy inventory and validate --inventory', () => {
  it('lists the hosts a --limit selects, with their targets, as JSON', () => {
    const r = psremedy('inventory', fixture('windows.yaml'), '--limit', 'rdp:!web', '--output', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const listing = JSON.parse(r.stdout);
    expect(listing.hosts.map((h: { name: string }) => h.name)).toEqual([
      'sql01.corp.example',
      'sql02.corp.example',
    ]);
    expect(listing.hosts[0].target).toEqual({
      kind: 'winrm',
      computerName: '10.0.0.21',
      port: 5985,
      useSsl: false,
    });
    expect(Object.keys(listing.groups)).toEqual(['all', 'rdp', 'sql']);
  });

  it('exits 2 with every problem at file:line:col, checked against the playbook', () => {
    const file = fixture('bad-fleet.yaml');
    const r = psremedy('validate', 'rdp-0x904', '--inventory', file, '--no-parse-scripts');
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n').filter((l) => l.startsWith(file))).toEqual([
      `${file}:5:5: hosts.0.adress: unknown key "adress"`,
      `${file}:6:11: hosts.1.name: host "web01" is defined twice (first at line 4)`,
      `${file}:11:16: groups.rdp.children.0: unknown group "webs" in the children of "rdp"`,
    ]);
    const listedBad = psremedy('inventory', file);
    expect(listedBad.status).toBe(2);
    expect(listedBad.stderr.split('\n')[0]).toBe(`${file}:5:5: hosts.0.adress: unknown key "adress"`);
    const listed = psremedy('inventory', fixture('windows.ini'), '--limit', 'wbe*');
    expect(listed.status).toBe(2);
    expect(listed.stderr).toContain('error: --limit "wbe*" matches no host or group');
  });
});
