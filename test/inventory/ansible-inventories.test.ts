import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type InventoryHost, loadInventory, playbookParamsOf } from '../../src/inventory/index.js';
import { loadPlaybook } from '../../src/playbook/index.js';

const fixture = (name: string) => new URL(`../fixtures/inventories/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'psremedy-inventory-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const byName = (hosts: InventoryHost[]) => Object.fromEntries(hosts.map((h) => [h.name, h]));

describe('Ansible inventories reused as they are', () => {
  it('reads the YAML and the INI form of one inventory into the same hosts, targets and groups', async () => {
    const yaml = await loadInventory(fixture('windows.yaml'));
    const ini = await loadInventory(fixture('windows.ini'));
    expect(yaml.format).toBe('ansible-yaml');
    expect(ini.format).toBe('ansible-ini');
    const shape = (h: InventoryHost) => [h.name, h.address, h.groups, h.target];
    // The INI gives jump's SSH port as host:2222, the YAML does not.
    const yamlHosts = yaml.hosts.map(shape);
    const iniHosts = ini.hosts.map(shape);
    expect(iniHosts.slice(0, 5)).toEqual(yamlHosts.slice(0, 5));
    expect(byName(yaml.hosts)['web02.corp.example']?.groups).toEqual(['canary', 'rdp', 'web']);
    expect(byName(yaml.hosts)['sql01.corp.example']?.target).toEqual({
      kind: 'winrm',
      computerName: '10.0.0.21',
      port: 5985,
      useSsl: false,
    });
    expect(byName(ini.hosts)['jump.corp.example']?.target).toEqual({
      kind: 'ssh',
      hostName: 'jump.corp.example',
      port: 2222,
      userName: 'admin',
      keyFilePath: '~/.ssh/jump',
    });
  });

  it('merges vars host over child group over parent group over all, as Ansible does', async () => {
    const hosts = byName((await loadInventory(fixture('windows.yaml'))).hosts);
    expect(hosts['web01.corp.example']?.params).toEqual({ Port: 3390 });
    expect(hosts['web02.corp.example']?.params).toEqual({ Port: 3391 });
    expect(hosts['sql01.corp.example']?.params).toEqual({ Port: 3389 });
    const file = write(
      'depth.ini',
      '[a]\nh1\n[b:children]\na\n[c:children]\nb\n[c:vars]\nx=from-c\ny=from-c\n[b:vars]\nx=from-b\n[all:vars]\nx=all\ny=all\nz=all\n',
    );
    expect((await loadInventory(file)).hosts[0]?.vars).toMatchObject({ x: 'from-b', y: 'from-c', z: 'all' });
  });

  it('reads group_vars/ and host_vars/ beside the inventory with Ansible precedence, and says it skips a vault file', async () => {
    const inventory = await loadInventory(fixture('with-vars/hosts'));
    expect(inventory.format).toBe('ansible-ini');
    const hosts = byName(inventory.hosts);
    // group_vars/windows.yml beats [windows:vars] and group_vars/all/; group_vars/all/ beats [windows:vars].
    expect(hosts.web01?.params).toEqual({ Port: 3393, Site: 'all-file' });
    // host_vars/web02.yml beats the host line.
    expect(hosts.web02?.params).toEqual({ Port: 3396, Site: 'all-file' });
    expect(hosts.db01?.target).toEqual({ kind: 'winrm', computerName: 'db01', port: 5985, useSsl: false });
    expect(
      inventory.warnings.map((w) => `${w.file.replace(/.*with-vars\//, '')}:${w.line}:${w.col} ${w.message}`),
    ).toEqual([
      'host_vars/db01.yaml:1:1 this file is encrypted with ansible-vault: psremedy does not read it, so its variables are left out',
    ]);
  });

  it('reads INI host-line values as Python literals and :vars values as strings', async () => {
    const file = write(
      'types.ini',
      '[web]\nweb01 n=5986 b=True none=None s="\'5986\'" list="[1, \'a\']" word=hello spaced="two words" # a comment\n[web:vars]\nflag=False\nport=5986\n',
    );
    const vars = (await loadInventory(file)).hosts[0]?.vars;
    expect(vars).toEqual({
      flag: 'False',
      port: '5986',
      n: 5986,
      b: true,
      none: null,
      s: '5986',
      list: [1, 'a'],
      word: 'hello',
      spaced: 'two words',
    });
  });

  it('keeps hosts in file order, even when a group is named before its section', async () => {
    const file = write('order.ini', '[rdp:children]\nweb\n[sql]\nsql01\n[web]\nweb01\n');
    const inventory = await loadInventory(file);
    expect(inventory.hosts.map((h) => `${h.name}@${h.definedAt.line}`)).toEqual(['sql01@4', 'web01@6']);
    expect(inventory.groups.get('rdp')?.hosts).toEqual(['web01']);
  });

  it('expands host ranges as Ansible does: padding, letters and steps', async () => {
    const file = write('ranges.ini', '[web]\nweb[08:10].corp\n[db]\ndb-[a:c]\n[odd]\nnode[1:7:3]\n');
    expect((await loadInventory(file)).hosts.map((h) => h.name)).toEqual([
      'web08.corp',
      'web09.corp',
      'web10.corp',
      'db-a',
      'db-b',
      'db-c',
      'node1',
      'node4',
      'node7',
    ]);
  });

  it.each([
    ['ansible_connection: winrm', { kind: 'winrm', computerName: 'h', port: 5986, useSsl: true }],
    [
      'ansible_connection: winrm\n      ansible_port: 5985',
      { kind: 'winrm', computerName: 'h', port: 5985, useSsl: false },
    ],
    [
      'ansible_connection: winrm\n      ansible_winrm_scheme: http\n      ansible_port: 8080',
      { kind: 'winrm', computerName: 'h', port: 8080, useSsl: false },
    ],
    [
      'ansible_connection: psrp\n      ansible_psrp_port: 5985',
      { kind: 'winrm', computerName: 'h', port: 5985, useSsl: false },
    ],
    [
      'ansible_connection: ansible.builtin.psrp',
      { kind: 'winrm', computerName: 'h', port: 5986, useSsl: true },
    ],
    ['ansible_host: 10.1.1.1', { kind: 'ssh', hostName: '10.1.1.1' }],
    ['ansible_connection: local', { kind: 'local' }],
  ])('maps %s to a psremedy target', async (vars, target) => {
    const file = write('connection.yaml', `all:\n  hosts:\n    h:\n      ${vars}\n`);
    expect((await loadInventory(file)).hosts[0]?.target).toEqual(target);
  });

  it('warns about connection settings psremedy does not use instead of ignoring them silently', async () => {
    const file = write(
      'unused.yaml',
      'all:\n  vars:\n    ansible_connection: winrm\n    ansible_user: CORP\\admin\n    ansible_password: secret\n    ansible_winrm_transport: basic\n    ansible_become: true\n  hosts:\n    a:\n    b:\n',
    );
    const { warnings, hosts } = await loadInventory(file);
    expect(JSON.stringify(hosts)).not.toContain('secret');
    expect(warnings.map((w) => `${w.line}:${w.col} ${w.severity} ${w.message}`)).toEqual([
      '4:5 warning ansible_user is not used for WinRM',
      '5:5 warning ansible_password is ignored',
      '6:5 warning authentication "basic" is not used: psremedy connects with Negotiate (Kerberos or NTLM)',
      '7:5 warning ansible_become is not used by psremedy (connection winrm)',
    ]);
  });

  it('warns about an Ansible YAML child group that is empty and defined nowhere else, with the group it resembles', async () => {
    const file = write(
      'empty-child.yaml',
      'all:\n  children:\n    web:\n      hosts:\n        web01:\n    rdp:\n      children:\n        webb:\n',
    );
    const { warnings } = await loadInventory(file);
    expect(warnings.map((w) => `${w.line}:${w.col} ${w.message} (${w.hint})`)).toEqual([
      '8:9 group "webb" has no hosts, vars or children anywhere in the inventory (did you mean "web"?)',
    ]);
  });

  it('with a playbook takes only the variables it declares as params, typed, and warns about near misses', async () => {
    const rdp = await loadPlaybook(new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname);
    const file = write(
      'params.ini',
      '[web]\nweb01 ansible_host=10.0.0.11 port=3390 ntp_server=ntp1 Prot=1\nweb02 ComputerName=web02.corp\n',
    );
    const inventory = await loadInventory(file, { playbook: playbookParamsOf(rdp) });
    // ComputerName names rdp-0x904's target: the host's address unless the inventory says.
    expect(inventory.hosts[0]?.params).toEqual({ Port: 3390, ComputerName: '10.0.0.11' });
    expect(inventory.hosts[1]?.params).toEqual({ ComputerName: 'web02.corp' });
    expect(inventory.hosts[0]?.vars).toMatchObject({ ntp_server: 'ntp1' });
    expect(inventory.warnings.map((w) => w.message)).toEqual([
      'variable "Prot" is not a param of playbook rdp-0x904; did you mean "Port"?',
    ]);
  });
});

describe("psremedy's own inventory format", () => {
  it('gives hosts their params and transport from defaults, groups and the host', async () => {
    const inventory = await loadInventory(fixture('fleet.yaml'), { labScenarios: ['firewall-closed'] });
    expect(inventory.format).toBe('psremedy');
    const hosts = byName(inventory.hosts);
    expect(hosts.web02).toMatchObject({
      address: '10.0.0.12',
      target: { kind: 'winrm', computerName: '10.0.0.12', useSsl: true },
      params: { Port: 3390, ConnectTimeoutMs: 2000 },
      groups: ['rdp', 'web'],
    });
    expect(hosts.jump?.target).toEqual({
      kind: 'ssh',
      hostName: 'jump',
      userName: 'admin',
      keyFilePath: '~/.ssh/jump',
    });
    expect(hosts['lab-firewall']).toMatchObject({
      lab: 'firewall-closed',
      target: { kind: 'ssh', hostName: 'lab-firewall.lab.invalid' },
      groups: ['ungrouped'],
    });
  });
});
