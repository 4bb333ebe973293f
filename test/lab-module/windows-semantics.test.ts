/**
 * The lab module's cmdlets show what Windows shows: policy stores (PersistentStore by default,
 * RSOP, ActiveStore), address/interface/security filters, one connection profile per adapter,
 * adapters that need link to come up, the listener's adapter binding, and key file ACLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostState, LabShell } from './lab-shell.js';

let lab: LabShell;
beforeAll(async () => {
  lab = await LabShell.start();
});
afterAll(async () => {
  await lab?.close();
});

const gpoBlock = (s: HostState) => {
  s.firewall.groupPolicy = {
    gpoName: 'corp.example\\Server Hardening',
    profiles: [{ name: 'Domain', allowLocalFirewallRules: false, defaultInboundAction: 'Block' }],
    rules: [
      {
        name: 'GPO-Block-RDP',
        displayName: 'Block RDP',
        enabled: true,
        direction: 'Inbound',
        profile: 'Any',
        protocol: 'TCP',
        localPort: '3389',
        remoteAddress: '203.0.113.0/24,LocalSubnet',
        action: 'Block',
        authentication: 'Required',
        overrideBlockRules: true,
      },
    ],
  };
};

describe('firewall policy stores', () => {
  it('shows Group Policy rules only in ActiveStore and RSOP, never in the default PersistentStore', async () => {
    lab.resetState(gpoBlock);
    const v = await lab.value<Record<string, unknown>>(`
      $persistent = @(Get-NetFirewallRule -Name GPO-Block-RDP -ErrorAction SilentlyContinue -ErrorVariable e)
      $active = @(Get-NetFirewallRule -PolicyStore ActiveStore | Where-Object Name -eq 'GPO-Block-RDP')
      @{ persistent = $persistent.Count; notFound = $e[0].FullyQualifiedErrorId
         activeCount = @(Get-NetFirewallRule -PolicyStore ActiveStore).Count; rsop = @(Get-NetFirewallRule -PolicyStore RSOP).Count
         source = [string]$active[0].PolicyStoreSource; sourceType = [string]$active[0].PolicyStoreSourceType
         localSource = [string](Get-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP).PolicyStoreSourceType }`);
    expect(v).toEqual({
      persistent: 0,
      notFound: 'CmdletizationQuery_NotFound_InstanceID,Get-NetFirewallRule',
      activeCount: 6,
      rsop: 1,
      source: 'corp.example\\Server Hardening',
      sourceType: 'GroupPolicy',
      localSource: 'Local',
    });
  });

  it('merges profile settings in ActiveStore (GPO wins, NotConfigured resolves) and shows local values otherwise', async () => {
    lab.resetState(gpoBlock);
    const v = await lab.value<Record<string, string>>(`
      $a = Get-NetFirewallProfile -Name Domain -PolicyStore ActiveStore
      $p = Get-NetFirewallProfile -Name Domain
      $r = Get-NetFirewallProfile -Name Private -PolicyStore RSOP
      @{ activeLocal = [string]$a.AllowLocalFirewallRules; activeIn = [string]$a.DefaultInboundAction; activeOut = [string]$a.DefaultOutboundAction
         persistentLocal = [string]$p.AllowLocalFirewallRules; persistentIn = [string]$p.DefaultInboundAction; rsopEnabled = [string]$r.Enabled }`);
    expect(v).toEqual({
      activeLocal: 'False',
      activeIn: 'Block',
      activeOut: 'Allow',
      persistentLocal: 'NotConfigured',
      persistentIn: 'NotConfigured',
      rsopEnabled: 'NotConfigured',
    });
  });

  it('exposes address, interface and security filters of a rule, from the store the rule came from', async () => {
    lab.resetState(gpoBlock);
    const v = await lab.value<Record<string, unknown>>(`
      $rule = Get-NetFirewallRule -PolicyStore ActiveStore | Where-Object Name -eq 'GPO-Block-RDP'
      $address = $rule | Get-NetFirewallAddressFilter
      $security = $rule | Get-NetFirewallSecurityFilter
      $interface = Get-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP | Get-NetFirewallInterfaceFilter
      @{ remote = @($address.RemoteAddress); local = @($address.LocalAddress); auth = [string]$security.Authentication
         override = $security.OverrideBlockRules; interface = @($interface.InterfaceAlias)
         all = @(Get-NetFirewallAddressFilter -PolicyStore ActiveStore).Count }`);
    expect(v).toEqual({
      remote: ['203.0.113.0/24', 'LocalSubnet'],
      local: ['Any'],
      auth: 'Required',
      override: true,
      interface: ['Any'],
      all: 6,
    });
  });

  it('changes only the PersistentStore: a Group Policy rule cannot be disabled locally', async () => {
    lab.resetState(gpoBlock);
    const v = await lab.value<string>(`
      Disable-NetFirewallRule -Name GPO-Block-RDP -ErrorAction SilentlyContinue -ErrorVariable e
      $e[0].FullyQualifiedErrorId`);
    expect(v).toBe('CmdletizationQuery_NotFound_InstanceID,Disable-NetFirewallRule');
    expect(lab.state().firewall.groupPolicy.rules[0].enabled).toBe(true);
  });
});

describe('adapters and connection profiles', () => {
  const twoNics = (s: HostState) => {
    s.netAdapters.push(
      {
        name: 'Backup',
        interfaceDescription: 'NIC 2',
        ifIndex: 7,
        status: 'Up',
        macAddress: '00-15-5D-01-02-07',
        ipv4: [{ address: '172.16.5.5', prefixLength: 24 }],
        networkCategory: 'Public',
        lanaId: 2,
      },
      {
        name: 'Spare',
        interfaceDescription: 'NIC 3',
        ifIndex: 9,
        status: 'Disconnected',
        macAddress: '00-15-5D-01-02-09',
      },
    );
  };

  it('lists one connection profile per connected adapter, each with its own category', async () => {
    lab.resetState(twoNics);
    const v = await lab.value<string[]>(
      `@(Get-NetConnectionProfile | ForEach-Object { "$($_.InterfaceAlias)=$($_.NetworkCategory)" })`,
    );
    expect(v).toEqual(['Ethernet=DomainAuthenticated', 'Backup=Public']);
  });

  it('does not bring up a port without link on restart, and remembers link across disable/enable', async () => {
    lab.resetState(twoNics);
    await lab.value(
      `Restart-NetAdapter -Name Spare -Confirm:$false; Disable-NetAdapter -Name Backup -Confirm:$false`,
    );
    expect(lab.state().netAdapters.map((a: { status: string }) => a.status)).toEqual([
      'Up',
      'Disabled',
      'Disconnected',
    ]);
    await lab.value(`Enable-NetAdapter -Name Backup, Spare -Confirm:$false`);
    expect(lab.state().netAdapters.map((a: { status: string }) => a.status)).toEqual([
      'Up',
      'Up',
      'Disconnected',
    ]);
  });

  it('reports the RDP listener adapter binding through Win32_TSNetworkAdapterSetting', async () => {
    lab.resetState((s) => {
      twoNics(s);
      s.registry[
        'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp'
      ].LanAdapter.value = 2;
    });
    const v = await lab.value<Record<string, unknown>>(`
      $s = Get-CimInstance -Namespace root/cimv2/TerminalServices -ClassName Win32_TSNetworkAdapterSetting
      @{ lana = $s.NetworkAdapterLanaID; name = $s.NetworkAdapterName; id = $s.NetworkAdapterID }`);
    expect(v).toEqual({ lana: 2, name: 'NIC 2', id: '7' });
  });
});

describe('private key files', () => {
  it('answers Test-Path and Get-Acl for a certificate key file with its ACL, generic rights unmapped', async () => {
    lab.resetState((s) => {
      const cert = s.certificates['Remote Desktop'][0];
      cert.keyFile = 'f686aace_test';
      cert.keyAcl = [
        { identity: 'S-1-5-20', rights: 2147483648, type: 'Allow' },
        { identity: 'Everyone', rights: 'ReadData', type: 'Deny' },
      ];
    });
    const v = await lab.value<Record<string, unknown>>(`
      $file = Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'Microsoft\\Crypto\\RSA\\MachineKeys\\f686aace_test'
      $acl = Get-Acl -LiteralPath $file
      @{ exists = Test-Path -LiteralPath $file; other = Test-Path -LiteralPath ($file + 'x')
         rules = @($acl.Access | ForEach-Object { '{0}|{1}|{2}' -f $_.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value, [int64][int]$_.FileSystemRights, $_.AccessControlType }) }`);
    expect(v).toEqual({
      exists: true,
      other: false,
      rules: ['S-1-5-20|-2147483648|Allow', 'S-1-1-0|1|Deny'],
    });
  });
});
