#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: brings network adapters back up: enables a Disabled adapter, restarts (disable +
    enable) a Disconnected one.

.DESCRIPTION
    Acts on the adapter named Name, or on the down adapters on RDP's path that the diagnosis
    blames (Get-RdpAdapterVerdict), never on spare ports. A restart cannot create link: an
    adapter without cable stays Disconnected and the verification says so. Refuses
    to restart the adapter that carries the management connection (the session this runs in)
    unless -Force: the session would drop. Enabling a disabled adapter cannot cut the session and
    is always allowed. Supports -WhatIf.

.PARAMETER Name
    The adapter to reset; empty for the adapters on RDP's path that are down.

.PARAMETER Force
    Restart the management adapter too, accepting that this session may drop.

.PARAMETER ManagementAddress
    The server address the management session uses, to find its adapter.

.OUTPUTS
    { changed, before, after, changes } (before/after: the state of Test-RdpNetAdapterState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Name = '',

    [switch] $Force,

    [string] $ManagementAddress = '',

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

$before = Get-RdpAdapterState
if ($Name -and -not @($before.adapters | Where-Object { $_.name -eq $Name })) { throw "No network adapter named '$Name' (adapters: $(($before.adapters | ForEach-Object { $_.name }) -join ', '))." }
$management = Get-ManagementAdapter $ManagementAddress
$changes = New-Object System.Collections.Generic.List[string]
# Only the named adapter, or the ones the diagnosis blames: never every down adapter (a port may be
# disabled on purpose: iSCSI, backup, cluster), and never a spare port.
$targets = @(Select-DownAdapter $before $Name)
if (-not $Name) { $targets = @((Get-RdpAdapterVerdict $ManagementAddress $ClientAddress).suspects) }
foreach ($adapter in $targets) {
    if ($adapter.status -eq 'Disabled') {
        $what = "enable network adapter $($adapter.name) (now Disabled)"
        if ($PSCmdlet.ShouldProcess($adapter.name, $what)) { Enable-NetAdapter -Name $adapter.name -Confirm:$false }
        $changes.Add($what)
        continue
    }
    if ($adapter.ifIndex -eq $management.ifIndex -and -not $Force) {
        throw "Refusing to restart network adapter $($adapter.name): it $($management.how) and carries the management connection, so this session would drop. Run with Force to accept that; the playbook reverts the change unless you confirm in time."
    }
    $what = "restart network adapter $($adapter.name) (now $($adapter.status))"
    if ($PSCmdlet.ShouldProcess($adapter.name, $what)) { Restart-NetAdapter -Name $adapter.name -Confirm:$false }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpAdapterState
    changes = $changes.ToArray()
}
