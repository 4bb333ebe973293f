import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LabShell } from './lab-shell.js';

let lab: LabShell;
beforeAll(async () => {
  lab = await LabShell.start();
});
afterAll(async () => {
  await lab?.close();
});
beforeEach(() => lab.resetState());

const TCP = 'RemoteDesktop-UserMode-In-TCP';

describe('NetSecurity firewall cmdlets', () => {
  it('returns the built-in RDP rule with the CIM type names, aliases and an enum Enabled that is always truthy', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $r = Get-NetFirewallRule -Name ${TCP}
      @{ types = @($r.PSTypeNames); name = $r.Name; id = $r.ID; group = $r.Group; displayGroup = $r.DisplayGroup
         enabled = [string]$r.Enabled; enabledType = $r.Enabled.GetType().FullName; truthy = [bool]$r.Enabled
         eqTrue = ($r.Enabled -eq 'True'); profile = [string]$r.Profile; direction = [string]$r.Direction; action = [string]$r.Action }`);
    expect(v.types).toEqual([
      'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule',
      'Microsoft.Management.Infrastructure.CimInstance#MSFT_NetFirewallRule',
      'Microsoft.Management.Infrastructure.CimInstance',
      'System.Object',
    ]);
    expect(v).toMatchObject({
      name: TCP,
      id: TCP,
      group: '@FirewallAPI.dll,-28752',
      displayGroup: 'Remote Desktop',
      enabled: 'True',
      enabledType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled',
      truthy: true,
      eqTrue: true,
      profile: 'Any',
      direction: 'Inbound',
      action: 'Allow',
    });
  });

  it('writes the CDXML not-found error per missing name, after the rules it found', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $found = @(Get-NetFirewallRule -Name 'Missing-Rule', ${TCP} -ErrorAction SilentlyContinue -ErrorVariable e)
      $wild = @(Get-NetFirewallRule -Name 'Nothing*' -ErrorAction SilentlyContinue -ErrorVariable w)
      @{ found = @($found.Name); count = $e.Count; message = $e[0].Exception.Message; fqid = $e[0].FullyQualifiedErrorId
         category = [string]$e[0].CategoryInfo.Category; target = $e[0].TargetObject; type = $e[0].Exception.GetType().FullName; wildErrors = $w.Count }`);
    expect(v).toEqual({
      found: [TCP],
      count: 1,
      message:
        "No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'Missing-Rule'.  Verify the value of the property and retry.",
      fqid: 'CmdletizationQuery_NotFound_InstanceID,Get-NetFirewallRule',
      category: 'ObjectNotFound',
      target: 'Missing-Rule',
      type: 'Microsoft.PowerShell.Cmdletization.Cim.CimJobException',
      wildErrors: 0,
    });
  });

  it('selects by -Group and -Enabled and joins rules to port filters through the pipeline', async () => {
    lab.resetState((s) => {
      s.firewall.rules[1].enabled = false;
    });
    const v = await lab.value<Record<string, unknown>>(`
      $disabled = @(Get-NetFirewallRule -Group '@FirewallAPI.dll,-28752' -Enabled False)
      $filter = Get-NetFirewallRule -Name ${TCP} | Get-NetFirewallPortFilter
      $back = $filter | Get-NetFirewallRule
      @{ disabled = @($disabled.Name); protocol = $filter.Protocol; localPort = @($filter.LocalPort); instance = $filter.InstanceID
         filterType = $filter.PSTypeNames[0]; back = $back.Name }`);
    expect(v).toEqual({
      disabled: ['RemoteDesktop-UserMode-In-UDP'],
      protocol: 'TCP',
      localPort: ['3389'],
      instance: TCP,
      filterType:
        'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter',
      back: TCP,
    });
  });

  it('changes nothing with -WhatIf', async () => {
    const before = lab.state();
    await lab.value(`
      Disable-NetFirewallRule -Name ${TCP} -WhatIf
      Set-NetFirewallRule -Name ${TCP} -LocalPort 3390 -WhatIf
      Remove-NetFirewallRule -Name ${TCP} -WhatIf
      New-NetFirewallRule -Name X -DisplayName X -WhatIf | Out-Null
      Set-NetFirewallProfile -Name Domain -Enabled False -WhatIf`);
    expect(lab.state()).toEqual(before);
  });

  it('persists Disable, Set, New and Remove to the state file', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      Get-NetFirewallRule -Name ${TCP} | Disable-NetFirewallRule
      $set = Set-NetFirewallRule -Name ${TCP} -LocalPort 3390 -RemoteAddress '10.0.0.0/8' -PassThru
      $new = New-NetFirewallRule -Name 'RDP-Custom-TCP-4000' -DisplayName 'Remote Desktop - Custom Port 4000' -Direction Inbound -Protocol TCP -LocalPort 4000 -Action Allow
      Remove-NetFirewallRule -Name 'RemoteDesktop-Shadow-In-TCP'
      @{ setEnabled = [string]$set.Enabled; newName = $new.Name; newEnabled = [string]$new.Enabled }`);
    expect(v).toEqual({ setEnabled: 'False', newName: 'RDP-Custom-TCP-4000', newEnabled: 'True' });
    const rules = lab.state().firewall.rules as { name: string }[];
    expect(rules.find((r) => r.name === TCP)).toMatchObject({
      enabled: false,
      localPort: '3390',
      remoteAddress: '10.0.0.0/8',
    });
    expect(rules.find((r) => r.name === 'RDP-Custom-TCP-4000')).toMatchObject({
      enabled: true,
      direction: 'Inbound',
      protocol: 'TCP',
      localPort: '4000',
      action: 'Allow',
      profile: 'Any',
    });
    expect(rules.some((r) => r.name === 'RemoteDesktop-Shadow-In-TCP')).toBe(false);
  });

  it('fails Set-NetFirewallRule on a missing rule with the documented InstanceID error', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      Set-NetFirewallRule -Name 'WINRM-HTTP-In-TCP-PUBLIC' -Enabled True -ErrorAction SilentlyContinue -ErrorVariable e
      @{ fqid = $e[0].FullyQualifiedErrorId; info = [string]$e[0].CategoryInfo }`);
    expect(v).toEqual({
      fqid: 'CmdletizationQuery_NotFound_InstanceID,Set-NetFirewallRule',
      info: 'ObjectNotFound: (WINRM-HTTP-In-TCP-PUBLIC:String) [Set-NetFirewallRule], CimJobException',
    });
  });

  it('shows each profile with a GpoBoolean Enabled', async () => {
    lab.resetState((s) => {
      s.firewall.profiles[2].enabled = false;
    });
    const v = await lab.value<unknown[]>(
      `@(Get-NetFirewallProfile | ForEach-Object { '{0}={1}:{2}' -f $_.Name, $_.Enabled, $_.Enabled.GetType().Name })`,
    );
    expect(v).toEqual(['Domain=True:GpoBoolean', 'Private=True:GpoBoolean', 'Public=False:GpoBoolean']);
  });
});

describe('NetSecurity application and service filters', () => {
  it('joins each rule to its program and service filter through the pipeline, with the CIM aliases', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $rule = Get-NetFirewallRule -Name ${TCP}
      $app = $rule | Get-NetFirewallApplicationFilter
      $svc = Get-NetFirewallServiceFilter -AssociatedNetFirewallRule $rule
      $shadow = Get-NetFirewallRule -Name RemoteDesktop-Shadow-In-TCP | Get-NetFirewallServiceFilter
      @{ appType = $app.PSTypeNames[0]; svcType = $svc.PSTypeNames[0]; program = $app.Program; appPath = $app.AppPath
         service = $svc.Service; serviceName = $svc.ServiceName; instance = $app.InstanceID; shadowService = $shadow.Service
         all = @(Get-NetFirewallApplicationFilter).Count -eq @(Get-NetFirewallRule).Count
         byProgram = @(Get-NetFirewallApplicationFilter -Program '*RdpSa.exe' | ForEach-Object InstanceID) }`);
    expect(v).toEqual({
      appType:
        'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallApplicationFilter',
      svcType:
        'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallServiceFilter',
      program: '%SystemRoot%\\system32\\svchost.exe',
      appPath: '%SystemRoot%\\system32\\svchost.exe',
      service: 'termservice',
      serviceName: 'termservice',
      instance: TCP,
      shadowService: 'Any',
      all: true,
      byProgram: ['RemoteDesktop-Shadow-In-TCP'],
    });
  });

  it('writes the CDXML not-found error for an exact value that matches no filter', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      Get-NetFirewallServiceFilter -Service NoSuchService -ErrorAction SilentlyContinue -ErrorVariable e
      @{ fqid = $e[0].FullyQualifiedErrorId; message = $e[0].Exception.Message }`);
    expect(v).toEqual({
      fqid: 'CmdletizationQuery_NotFound_ServiceName,Get-NetFirewallServiceFilter',
      message:
        "No MSFT_NetFirewallServiceFilter objects found with property 'ServiceName' equal to 'NoSuchService'.  Verify the value of the property and retry.",
    });
  });
});
