#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server that its network adapters are up, and tells which one carries the
    management connection (the session this script runs in).

.DESCRIPTION
    Lists adapters with Get-NetAdapter. The management adapter is the one holding
    ManagementAddress (or the server address of $env:SSH_CONNECTION), else the adapter of the
    default route. An adapter that is Disabled or Disconnected cannot carry RDP traffic.

.PARAMETER ManagementAddress
    The server address the management session uses (optional).

.OUTPUTS
    One object: allUp, adapters (name, description, ifIndex, status, linkSpeed, isManagement),
    management { ifIndex, how }, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ManagementAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

$management = Get-ManagementAdapter $ManagementAddress
$adapters = @(Get-NetAdapter | ForEach-Object {
        [pscustomobject]@{
            name         = [string]$_.Name
            description  = [string]$_.InterfaceDescription
            ifIndex      = [int]$_.ifIndex
            status       = [string]$_.Status
            linkSpeed    = [string]$_.LinkSpeed
            isManagement = ([int]$_.ifIndex -eq $management.ifIndex)
        }
    })

$findings = New-Object System.Collections.Generic.List[object]
$down = @($adapters | Where-Object { @('Disabled', 'Disconnected') -contains $_.status })
$up = @($adapters | Where-Object { $_.status -eq 'Up' })
foreach ($adapter in $down) {
    $confidence = 0.7
    $role = ''
    if ($adapter.isManagement) { $confidence = 0.9; $role = ", the adapter that $($management.how)" }
    if ($up.Count -eq 0) { $confidence = 0.95; $role = "$role; no adapter is Up" }
    $findings.Add((New-Finding 'adapter-down' $confidence "Network adapter $($adapter.name) ($($adapter.description), ifIndex $($adapter.ifIndex)) is $($adapter.status)$role."))
}
if ($down.Count -eq 0) {
    $names = ($up | ForEach-Object { $_.name }) -join ', '
    $findings.Add((New-Finding 'adapter-down' 0 "All network adapters are Up ($names)."))
}

[pscustomobject]@{
    allUp      = ($down.Count -eq 0)
    adapters   = $adapters
    management = $management
    findings   = $findings.ToArray()
}
