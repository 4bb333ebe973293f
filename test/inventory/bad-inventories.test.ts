import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { BAD_INVENTORIES } from './bad-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'psremedy-bad-inventory-'));
const rdp = await loadPlaybook(new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname);
const playbook = { name: rdp.doc.name, params: rdp.doc.params };

// Each case: every problem at once, as `line:col path: message (hint)`.
const EXPECTED: Record<string, string[]> = {
  'an unknown key of a host, with the key it resembles': [
    '5:5 hosts.0.adress: unknown key "adress" (did you mean "address"?)',
  ],
  'a host defined twice': [
    '6:11 hosts.2.name: host "web01" is defined twice (first at line 4) (give each host one entry; put shared params in a group)',
  ],
  'an unknown group among children and an unknown host in a group': [
    '7:20 groups.web.hosts.1: unknown host "web02" in group "web" (did you mean "web01"?)',
    '9:16 groups.rdp.children.0: unknown group "webb" in the children of "rdp" (did you mean "web"?)',
  ],
  'a port out of range and a transport psremedy does not have': [
    '5:11 hosts.0.port: must be a TCP port (1-65535)',
    '6:16 hosts.0.transport: "rdp" is not one of winrm, ssh, local',
  ],
  'a lab scenario that does not exist': [
    '5:5 hosts.0.lab: lab scenario "firewall-closd" does not exist (did you mean "firewall-closed"?)',
  ],
  'params the playbook does not declare, and a param of the wrong type': [
    '5:5 defaults.params.Prot: param "Prot" is not declared by playbook rdp-0x904 (did you mean "Port"?)',
    '9:7 hosts.0.params.Port: param "Port": expected a whole number (int), got "abc"',
  ],
  'a wrong kind and no hosts': [
    '1:1 : missing required key "hosts"',
    '2:7 kind: must be "Inventory", not "Playbook"',
  ],
  'an INI children section naming a group that is not defined': [
    '6:1 [rdp:children]: unknown group "sq1" in the children of "rdp" (did you mean "sql"?)',
  ],
  'an INI connection psremedy cannot use, once for the 40 hosts of its group': [
    '5:1 [switches:vars]: ansible_connection "network_cli" is not a connection psremedy can use (psremedy reaches hosts with winrm, psrp, ssh or local)',
  ],
  'an INI port that is not a number, from a :vars section': [
    '5:1 [web:vars]: "59B6" is not a TCP port (1-65535)',
  ],
  'an INI host line with a word that is not key=value': [
    '2:7 [web]: expected key=value after the host name, got "ansible_host"',
    '2:20 [web]: expected key=value after the host name, got "10.0.0.11"',
  ],
  'an INI section of an unknown type, and vars of an undefined group': [
    '1:6 [web:child]: section [web:child] has an unknown type "child" (the types are :vars and :children)',
    '4:1 [db:vars]: [db:vars] sets variables of a group that is not defined (define it with a [db] section)',
  ],
  'a group variable written among the hosts': [
    '3:1 [web]: "ansible_user=admin" is a variable, not a host (variables of the group go in a [web:vars] section; a host\'s go after its name)',
  ],
  'a host range that runs backwards': [
    '2:1 [web]: host "web[10:01]": range [10:01] must go from a lower to a higher number',
  ],
  'a misspelt hosts key in an Ansible YAML group': [
    '4:7 all.children.web.host: unknown key "host" in group "web" (did you mean "hosts"?)',
  ],
  'Ansible YAML hosts written as a list': [
    '3:5 all.hosts: hosts must be a map of host names, not a list (write each host as a key ("web01:"), not a list item ("- web01"))',
  ],
  'a WinRM scheme that is neither http nor https': [
    '4:5 all.vars.ansible_winrm_scheme: "ftp" is not http or https',
  ],
  'a connection setting written as a Jinja template': [
    '5:7 all.hosts.web01.ansible_host: ansible_host is a Jinja template: psremedy does not evaluate Jinja (write the value itself)',
  ],
  'groups whose children form a loop': [
    '1:1 [a]: group "a" is its own ancestor (children form a loop) (remove one of the children: entries of the loop)',
  ],
};

describe('bad inventories', () => {
  it('has an expectation for every case', () => {
    expect(BAD_INVENTORIES.map((c) => c.title).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(BAD_INVENTORIES)('reports $title with its position', async (bad) => {
    const file = join(dir, `${bad.title.replace(/\W+/g, '-')}.${bad.ext}`);
    writeFileSync(file, bad.text);
    const error = await loadInventory(file, bad.playbook ? { playbook } : {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlaybookError);
    const problems = (error as PlaybookError).problems;
    expect(problems.every((p) => p.file === file && p.severity === 'error')).toBe(true);
    expect(
      problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`),
    ).toEqual(EXPECTED[bad.title]);
  });

  it('names the group_vars file a bad value comes from, at its line', async () => {
    const folder = mkdtempSync(join(dir, 'vars-'));
    mkdirSync(join(folder, 'group_vars'));
    writeFileSync(join(folder, 'hosts.ini'), '[web]\nweb01\nweb02\n');
    writeFileSync(join(folder, 'group_vars', 'web.yml'), 'ansible_connection: winrm\nansible_port: 99999\n');
    const error = await loadInventory(join(folder, 'hosts.ini')).catch((e: unknown) => e);
    expect((error as PlaybookError).problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)).toEqual(
      [`${join(folder, 'group_vars', 'web.yml')}:2:1 the number 99999 is not a TCP port (1-65535)`],
    );
  });
});
