/** Bad inventories: each one's text and extension, for bad-inventories.test.ts. */
export const BAD_INVENTORIES: Array<{ title: string; ext: string; text: string; playbook?: boolean }> = [
  {
    title: 'an unknown key of a host, with the key it resembles',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Inventory\nhosts:\n  - name: web01\n    adress: 10.0.0.11\n',
  },
  {
    title: 'a host defined twice',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Inventory\nhosts:\n  - name: web01\n  - name: web02\n  - name: web01\n',
  },
  {
    title: 'an unknown group among children and an unknown host in a group',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Inventory\nhosts:\n  - name: web01\ngroups:\n  web:\n    hosts: [web01, web02]\n  rdp:\n    children: [webb]\n',
  },
  {
    title: 'a port out of range and a transport psremedy does not have',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Inventory\nhosts:\n  - name: web01\n    port: 70000\n    transport: rdp\n',
  },
  {
    title: 'a lab scenario that does not exist',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Inventory\nhosts:\n  - name: lab1\n    lab: firewall-closd\n',
  },
  {
    title: 'params the playbook does not declare, and a param of the wrong type',
    ext: 'yaml',
    playbook: true,
    text: 'apiVersion: psremedy/v1\nkind: Inventory\ndefaults:\n  params:\n    Prot: 3390\nhosts:\n  - name: web01\n    params:\n      Port: abc\n',
  },
  {
    title: 'a wrong kind and no hosts',
    ext: 'yaml',
    text: 'apiVersion: psremedy/v1\nkind: Playbook\n',
  },
  {
    title: 'an INI children section naming a group that is not defined',
    ext: 'ini',
    text: '[web]\nweb01\n\n[rdp:children]\nweb\nsq1\n\n[sql]\nsql01\n',
  },
  {
    title: 'an INI connection psremedy cannot use, once for the 40 hosts of its group',
    ext: 'ini',
    text: '[switches]\nsw[01:40]\n\n[switches:vars]\nansible_connection=network_cli\n',
  },
  {
    title: 'an INI port that is not a number, from a :vars section',
    ext: 'ini',
    text: '[web]\nweb01\n\n[web:vars]\nansible_port=59B6\n',
  },
  {
    title: 'an INI host line with a word that is not key=value',
    ext: 'ini',
    text: '[web]\nweb01 ansible_host 10.0.0.11\n',
  },
  {
    title: 'an INI section of an unknown type, and vars of an undefined group',
    ext: 'ini',
    text: '[web:child]\nweb01\n\n[db:vars]\nx=1\n',
  },
  {
    title: 'a group variable written among the hosts',
    ext: 'ini',
    text: '[web]\nweb01\nansible_user=admin\n',
  },
  {
    title: 'a host range that runs backwards',
    ext: 'ini',
    text: '[web]\nweb[10:01]\n',
  },
  {
    title: 'a misspelt hosts key in an Ansible YAML group',
    ext: 'yaml',
    text: 'all:\n  children:\n    web:\n      host:\n        web01:\n',
  },
  {
    title: 'Ansible YAML hosts written as a list',
    ext: 'yaml',
    text: 'all:\n  hosts:\n    - web01\n    - web02\n',
  },
  {
    title: 'a WinRM scheme that is neither http nor https',
    ext: 'yaml',
    text: 'all:\n  vars:\n    ansible_connection: winrm\n    ansible_winrm_scheme: ftp\n  hosts:\n    web01:\n',
  },
  {
    title: 'a connection setting written as a Jinja template',
    ext: 'yaml',
    text: "all:\n  hosts:\n    web01:\n      ansible_connection: winrm\n      ansible_host: '{{ inventory_hostname }}.corp'\n",
  },
  {
    title: 'groups whose children form a loop',
    ext: 'ini',
    text: '[a:children]\nb\n\n[b:children]\na\n\n[b]\nweb01\n',
  },
];
