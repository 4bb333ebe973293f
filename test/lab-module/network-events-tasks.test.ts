import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPowerShell } from '../../src/powershell/find-powershell.js';
import { LabShell } from './lab-shell.js';

let lab: LabShell;
beforeAll(async () => {
  lab = await LabShell.start();
});
afterAll(async () => {
  await lab?.close();
});
beforeEach(() => lab.resetState());

describe('NetAdapter and NetTCPIP', () => {
  it('shows the adapter with the MSFT_NetAdapter type name, aliases and the not-found error', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $a = Get-NetAdapter -Name Ethernet
      Get-NetAdapter -Name 'vEthernet (Lab)' -ErrorAction SilentlyContinue -ErrorVariable e
      @{ type = $a.PSTypeNames[0]; status = $a.Status; ifIndex = $a.ifIndex; alias = $a.InterfaceAlias; mac = $a.MacAddress; speed = $a.LinkSpeed
         fqid = $e[0].FullyQualifiedErrorId; message = $e[0].Exception.Message }`);
    expect(v).toEqual({
      type: 'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter',
      status: 'Up',
      ifIndex: 4,
      alias: 'Ethernet',
      mac: '00-15-5D-01-02-03',
      speed: '10 Gbps',
      fqid: 'CmdletizationQuery_NotFound_Name,Get-NetAdapter',
      message:
        "No MSFT_NetAdapter objects found with property 'Name' equal to 'vEthernet (Lab)'.  Verify the value of the property and retry.",
    });
  });

  it('derives addresses, routes, the connection profile and the RDP listener from the state', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      @{ ip = (Get-NetIPAddress -InterfaceAlias Ethernet -AddressFamily IPv4).IPAddress
         gateway = (Get-NetRoute -DestinationPrefix '0.0.0.0/0').NextHop
         via = @(Find-NetRoute -RemoteIPAddress '192.0.2.7')[0].InterfaceAlias
         config = (Get-NetIPConfiguration -InterfaceAlias Ethernet).IPv4DefaultGateway.NextHop
         category = (Get-NetConnectionProfile).NetworkCategory
         listener = (Get-NetTCPConnection -State Listen -LocalPort 3389).OwningProcess }`);
    expect(v).toEqual({
      ip: '10.0.0.5',
      gateway: '10.0.0.1',
      via: 'Ethernet',
      config: '10.0.0.1',
      category: 'DomainAuthenticated',
      listener: 1104,
    });
  });

  it('changes nothing with -WhatIf, persists Disable/Enable, and refuses to prompt for Disable without -Confirm:$false', async () => {
    const before = lab.state();
    await lab.value('Disable-NetAdapter -Name Ethernet -WhatIf; Restart-NetAdapter -Name Ethernet -WhatIf');
    expect(lab.state()).toEqual(before);
    const prompt = await lab.run('Disable-NetAdapter -Name Ethernet');
    expect(prompt.ok).toBe(false);
    expect(lab.state().netAdapters[0].status).toBe('Up');
    await lab.value('Disable-NetAdapter -Name Ethernet -Confirm:$false');
    expect(lab.state().netAdapters[0].status).toBe('Disabled');
    await lab.value('Get-NetAdapter -Name Ethernet | Enable-NetAdapter');
    expect(lab.state().netAdapters[0].status).toBe('Up');
  });

  it('ends its own process after writing the state when the management adapter restarts', async () => {
    const ps = await findPowerShell();
    const module = fileURLToPath(new URL('../../lab/module/PSRemedyLab.psd1', import.meta.url));
    lab.resetState((s) => {
      // Disconnected although the link is back (a stuck driver): a restart brings it up.
      s.netAdapters[0].status = 'Disconnected';
      s.netAdapters[0].cableConnected = true;
    });
    const script = `Import-Module '${module}'; Restart-NetAdapter -Name Ethernet; [Console]::Out.WriteLine('still here')`;
    const child = spawn(ps.path, [...ps.args, '-Command', script], {
      env: { ...process.env, PSREMEDY_LAB_STATE: lab.statePath, PSREMEDY_LAB_MANAGEMENT_DROP: '' },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    expect(stdout).not.toContain('still here');
    expect(code === 0 && signal === null).toBe(false);
    expect(lab.state().netAdapters[0].status).toBe('Up');
  });
});

describe('Get-WinEvent, Get-Date and scheduled tasks', () => {
  it('filters events by log, provider, id, level and start time, newest first', async () => {
    let clock = '';
    lab.resetState((s) => {
      clock = s.clock;
      s.events.push(
        {
          logName: 'System',
          providerName: 'Schannel',
          id: 36870,
          level: 2,
          timeCreated: hoursBefore(s.clock, 2),
          message:
            'A fatal error occurred when attempting to access the TLS server credential private key. The error code returned from the cryptographic module is 0x8009030D.',
          recordId: 10,
        },
        {
          logName: 'System',
          providerName: 'Schannel',
          id: 36870,
          level: 2,
          timeCreated: hoursBefore(s.clock, 1),
          message: 'second',
          recordId: 11,
        },
        {
          logName: 'System',
          providerName: 'Schannel',
          id: 36870,
          level: 2,
          timeCreated: hoursBefore(s.clock, 5 * 24 + 1),
          message: 'old',
          recordId: 9,
        },
      );
    });
    const v = await lab.value<Record<string, unknown>>(`
      $e = @(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Schannel'; Id = 36870, 36871; Level = 2; StartTime = (Get-Date).AddDays(-1) })
      Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Schannel'; Id = 36888 } -ErrorAction SilentlyContinue -ErrorVariable none
      Get-WinEvent -FilterHashtable @{ LogName = 'NoSuchLog' } -ErrorAction SilentlyContinue -ErrorVariable nolog
      @{ records = @($e.RecordId); type = $e[0].PSTypeNames[0]; level = $e[0].LevelDisplayName; now = (Get-Date).ToUniversalTime().ToString('o')
         none = $none[0].FullyQualifiedErrorId; noneMessage = $none[0].Exception.Message; nolog = $nolog[0].FullyQualifiedErrorId
         logs = @(Get-WinEvent -ListLog 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational').Count }`);
    expect(v).toEqual({
      records: [11, 10],
      type: 'System.Diagnostics.Eventing.Reader.EventLogRecord',
      level: 'Error',
      now: clock.replace('Z', '.0000000Z'),
      none: 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand',
      noneMessage: 'No events were found that match the specified selection criteria.',
      nolog: 'NoMatchingLogsFound,Microsoft.PowerShell.Commands.GetWinEventCommand',
      logs: 1,
    });
  });

  it('registers a self-reverting task, runs its PowerShell action on demand and unregisters it', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '-NoProfile -Command "Enable-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP"'
      $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date).AddMinutes(2)
      $t = Register-ScheduledTask -TaskName 'psremedy-revert' -Action $action -Trigger $trigger -User 'SYSTEM' -RunLevel Highest
      Register-ScheduledTask -TaskName 'psremedy-revert' -Action $action -Trigger $trigger -ErrorAction SilentlyContinue -ErrorVariable dup | Out-Null
      Disable-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP
      Start-ScheduledTask -TaskName 'psremedy-revert'
      $enabled = [string](Get-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP).Enabled
      Unregister-ScheduledTask -TaskName 'psremedy-revert' -Confirm:$false
      Get-ScheduledTask -TaskName 'psremedy-revert' -ErrorAction SilentlyContinue -ErrorVariable gone
      @{ type = $t.PSTypeNames[0]; state = $t.State; at = $t.Triggers[0].StartBoundary; dup = $dup[0].FullyQualifiedErrorId
         enabled = $enabled; gone = $gone[0].FullyQualifiedErrorId }`);
    expect(v).toEqual({
      type: 'Microsoft.Management.Infrastructure.CimInstance#Root/Microsoft/Windows/TaskScheduler/MSFT_ScheduledTask',
      state: 'Ready',
      at: expect.stringMatching(new RegExp(`^${hoursBefore(lab.state().clock, -2 / 60).slice(0, 19)}`)),
      dup: 'HRESULT 0x800700b7,Register-ScheduledTask',
      enabled: 'True',
      gone: 'CmdletizationQuery_NotFound_TaskName,Get-ScheduledTask',
    });
    expect(lab.state().scheduledTasks).toEqual([]);
  });
});

/** The ISO time `hours` before `clock` (negative: after), as state files write it. */
function hoursBefore(clock: string, hours: number): string {
  return new Date(Date.parse(clock) - hours * 3_600_000).toISOString().replace('.000Z', 'Z');
}
