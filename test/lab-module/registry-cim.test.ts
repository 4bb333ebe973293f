import { readFileSync } from 'node:fs';
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

const TS = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server';
const RDP = `${TS}\\WinStations\\RDP-Tcp`;
const POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services';
const TLS =
  'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server';
const GS = `Get-CimInstance -Namespace root\\cimv2\\TerminalServices -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"`;

describe('registry through HKLM:\\ paths', () => {
  it('reads values with provider properties; a DWORD above 0x7FFFFFFF reads as Int32', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $p = Get-ItemProperty -LiteralPath '${RDP}' -Name PortNumber, MaxInstanceCount
      @{ port = $p.PortNumber; portType = $p.PortNumber.GetType().Name; max = $p.MaxInstanceCount; psPath = $p.PSPath; child = $p.PSChildName
         value = Get-ItemPropertyValue -Path 'Registry::HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server' -Name fDenyTSConnections
         key = Test-Path '${RDP}'; parent = Test-Path 'HKLM:\\SYSTEM\\CurrentControlSet'; leaf = Test-Path '${RDP}' -PathType Leaf; missing = Test-Path '${TLS}' }`);
    expect(v).toEqual({
      port: 3389,
      portType: 'Int32',
      max: -1,
      psPath:
        'Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp',
      child: 'RDP-Tcp',
      value: 0,
      key: true,
      parent: true,
      leaf: false,
      missing: false,
    });
  });

  it('fails like the registry provider for a missing key, a missing value, and Get-ItemPropertyValue despite -ErrorAction', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      Get-ItemProperty -LiteralPath '${TLS}' -ErrorAction SilentlyContinue -ErrorVariable e1
      Get-ItemProperty -LiteralPath '${RDP}' -Name SSLCertificateSHA1Hash -ErrorAction SilentlyContinue -ErrorVariable e2
      $thrown = $null
      try { Get-ItemPropertyValue -LiteralPath '${RDP}' -Name Nope -ErrorAction SilentlyContinue } catch { $thrown = $_.FullyQualifiedErrorId }
      @{ m1 = $e1[0].Exception.Message; f1 = $e1[0].FullyQualifiedErrorId; m2 = $e2[0].Exception.Message; f2 = $e2[0].FullyQualifiedErrorId
         c2 = [string]$e2[0].CategoryInfo.Category; thrown = $thrown }`);
    expect(v).toEqual({
      m1: `Cannot find path '${TLS}' because it does not exist.`,
      f1: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand',
      m2: 'Property SSLCertificateSHA1Hash does not exist at path HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp.',
      f2: 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.GetItemPropertyCommand',
      c2: 'InvalidArgument',
      thrown: 'Argument,Microsoft.PowerShell.Commands.GetItemPropertyValueCommand',
    });
  });

  it('creates, sets and removes keys and values with the right kinds, and persists them', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      New-Item -Path '${TLS}' -Force | Out-Null
      New-ItemProperty -LiteralPath '${TLS}' -Name Enabled -PropertyType DWord -Value 1 -Force | Out-Null
      New-ItemProperty -LiteralPath '${TLS}' -Name DisabledByDefault -Value 0 -PropertyType DWord | Out-Null
      New-ItemProperty -LiteralPath '${TLS}' -Name Enabled -PropertyType DWord -Value 1 -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null
      Set-ItemProperty -LiteralPath '${RDP}' -Name PortNumber -Value 3390
      Set-ItemProperty -LiteralPath '${RDP}' -Name SSLCertificateSHA1Hash -Value ([byte[]](1, 2, 171)) -Type Binary
      Remove-ItemProperty -LiteralPath '${RDP}' -Name fLogonDisabled
      $k = Get-Item -LiteralPath '${RDP}'
      @{ exists = $e[0].FullyQualifiedErrorId; kind = [string]$k.GetValueKind('SSLCertificateSHA1Hash'); bytes = @($k.GetValue('SSLCertificateSHA1Hash'))
         names = $k.GetValueNames() -contains 'fLogonDisabled'; children = @(Get-ChildItem 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols' -Name) }`);
    expect(v).toEqual({
      exists: 'System.IO.IOException,Microsoft.PowerShell.Commands.NewItemPropertyCommand',
      kind: 'Binary',
      bytes: [1, 2, 171],
      names: false,
      children: ['SSL 2.0', 'TLS 1.2'],
    });
    const registry = lab.state().registry;
    expect(registry[TLS]).toEqual({
      Enabled: { type: 'DWord', value: 1 },
      DisabledByDefault: { type: 'DWord', value: 0 },
    });
    expect(registry[RDP].PortNumber).toEqual({ type: 'DWord', value: 3390 });
    expect(registry[RDP].SSLCertificateSHA1Hash).toEqual({ type: 'Binary', value: '0102AB' });
    expect(registry[RDP].fLogonDisabled).toBeUndefined();
  });

  it('New-Item -Force on an existing key empties it, as on Windows', async () => {
    await lab.value(`New-Item -Path '${RDP}' -Force | Out-Null`);
    expect(lab.state().registry[RDP]).toEqual({});
  });

  it('changes nothing with -WhatIf', async () => {
    const before = lab.state();
    await lab.value(`
      Set-ItemProperty -LiteralPath '${RDP}' -Name PortNumber -Value 1 -WhatIf
      New-ItemProperty -LiteralPath '${RDP}' -Name X -Value 1 -PropertyType DWord -WhatIf | Out-Null
      Remove-ItemProperty -LiteralPath '${RDP}' -Name PortNumber -WhatIf
      New-Item -Path '${TLS}' -Force -WhatIf | Out-Null
      Remove-Item -LiteralPath '${RDP}' -WhatIf`);
    expect(lab.state()).toEqual(before);
  });

  it('leaves the file byte-for-byte as written when a change is undone', async () => {
    const written = readFileSync(lab.statePath, 'utf8');
    await lab.value(`
      Set-ItemProperty -LiteralPath '${RDP}' -Name PortNumber -Value 3390
      Set-ItemProperty -LiteralPath '${RDP}' -Name PortNumber -Value 3389`);
    expect(readFileSync(lab.statePath, 'utf8')).toBe(written);
  });

  it('hands other paths to the host provider', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      @{ tmp = Test-Path -LiteralPath ([IO.Path]::GetTempPath()); none = Test-Path '/no/such/path' }`);
    expect(v).toEqual({ tmp: true, none: false });
  });
});

describe('Terminal Services CIM classes', () => {
  it('computes Win32_TSGeneralSetting from the registry, with the listener certificate', async () => {
    const thumb = lab.state().certificates['Remote Desktop'][0].thumbprint;
    const v = await lab.value<Record<string, unknown>>(`
      $g = ${GS}
      @{ type = $g.PSTypeNames[0]; layer = $g.SecurityLayer; nla = $g.UserAuthenticationRequired; level = $g.MinEncryptionLevel
         hash = $g.SSLCertificateSHA1Hash; hashType = $g.SSLCertificateSHA1HashType; source = $g.PolicySourceUserAuthenticationRequired }`);
    expect(v).toEqual({
      type: 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/TerminalServices/Win32_TSGeneralSetting',
      layer: 2,
      nla: 1,
      level: 2,
      hash: thumb,
      hashType: 1,
      source: 0,
    });
  });

  it('lets a policy value override RDP-Tcp and refuses method changes it controls', async () => {
    lab.resetState((s) => {
      s.registry[POLICY].UserAuthentication = { type: 'DWord', value: 0 };
    });
    const v = await lab.value<Record<string, unknown>>(`
      $g = ${GS}
      $r = $g | Invoke-CimMethod -MethodName SetUserAuthenticationRequired -Arguments @{ UserAuthenticationRequired = [uint32]1 }
      @{ nla = $g.UserAuthenticationRequired; source = $g.PolicySourceUserAuthenticationRequired; rv = $r.ReturnValue; rtype = $r.PSTypeNames[0] }`);
    expect(v).toEqual({
      nla: 0,
      source: 1,
      rv: 2147749910,
      rtype:
        'Microsoft.Management.Infrastructure.CimMethodResult#Win32_TSGeneralSetting#SetUserAuthenticationRequired',
    });
    expect(lab.state().registry[RDP].UserAuthentication.value).toBe(1);
  });

  it('writes method and Set-CimInstance changes back to the registry, and -WhatIf writes nothing', async () => {
    const before = lab.state();
    await lab.value(`
      $g = ${GS}
      Invoke-CimMethod -InputObject $g -MethodName SetSecurityLayer -Arguments @{ SecurityLayer = [uint32]0 } -WhatIf | Out-Null
      Invoke-CimMethod -ClassName Win32_TerminalServiceSetting -Namespace root\\cimv2\\TerminalServices -MethodName SetAllowTSConnections -Arguments @{ AllowTSConnections = [uint32]0; ModifyFirewallException = [uint32]1 } -WhatIf | Out-Null`);
    expect(lab.state()).toEqual(before);
    const v = await lab.value<Record<string, unknown>>(`
      $g = ${GS}
      $a = (Invoke-CimMethod -InputObject $g -MethodName SetSecurityLayer -Arguments @{ SecurityLayer = [uint32]0 }).ReturnValue
      $ts = Get-CimInstance -Namespace root\\cimv2\\TerminalServices -ClassName Win32_TerminalServiceSetting
      $b = ($ts | Invoke-CimMethod -MethodName SetAllowTSConnections -Arguments @{ AllowTSConnections = [uint32]0; ModifyFirewallException = [uint32]1 }).ReturnValue
      $n = New-SelfSignedCertificate -DnsName 'srv01.corp.example' -CertStoreLocation Cert:\\LocalMachine\\My
      Set-CimInstance -InputObject $g -Property @{ SSLCertificateSHA1Hash = $n.Thumbprint }
      Set-CimInstance -InputObject $g -Property @{ SSLCertificateSHA1Hash = '0000000000000000000000000000000000000001' } -ErrorAction SilentlyContinue -ErrorVariable e
      $after = ${GS}
      @{ a = $a; b = $b; allow = (Get-CimInstance -Namespace root\\cimv2\\TerminalServices -ClassName Win32_TerminalServiceSetting).AllowTSConnections
         hashType = $after.SSLCertificateSHA1HashType; hash = $after.SSLCertificateSHA1Hash; thumb = $n.Thumbprint; bad = $e[0].FullyQualifiedErrorId }`);
    expect(v).toMatchObject({
      a: 0,
      b: 0,
      allow: 0,
      hashType: 3,
      bad: 'HRESULT 0x80041008,Microsoft.Management.Infrastructure.CimCmdlets.SetCimInstanceCommand',
    });
    expect(v.hash).toBe(v.thumb);
    const state = lab.state();
    expect(state.registry[RDP].SecurityLayer.value).toBe(0);
    expect(state.registry[TS].fDenyTSConnections.value).toBe(1);
    expect(state.registry[RDP].SSLCertificateSHA1Hash).toEqual({ type: 'Binary', value: v.thumb });
    const group = state.firewall.rules.filter(
      (r: { group?: string }) => r.group === '@FirewallAPI.dll,-28752',
    );
    expect(group.map((r: { enabled: boolean }) => r.enabled)).toEqual([false, false, false]);
  });
});
