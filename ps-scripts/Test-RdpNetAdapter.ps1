#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server that its network adapters are up, and tells which one carries the
    management connection (the session this script runs in).

.DESCRIPTION
    Lists adapters with Get-NetAdapter. The management adapter is the one holding
    ManagementAddress (or the server address of $env:SSH_CONNECTION), else the adapter of the
    default route; the client's adapter is the one the route to ClientAddress uses. Only a down
    adapter on that path (or every down adapter when none is Up) is a cause: an unplugged spare
    port or an adapter disabled on purpose is normal. The judgement is Get-RdpAdapterVerdict of
    lib/RdpNetAdapter.psm1, which the adapter fix's test uses too.

.PARAMETER ManagementAddress
    The server address the management session uses (optional).

.PARAMETER ClientAddress
    The address the RDP client connects from (optional).

.OUTPUTS
    One object: allUp, pathUp (no adapter on RDP's path is down), suspects (names), adapters (name,
    description, ifIndex, status, linkSpeed, role: management | client-route | spare),
    management { ifIndex, how }, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ManagementAddress = '',

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

$verdict = Get-RdpAdapterVerdict $ManagementAddress $ClientAddress
$findings = New-Object System.Collections.Generic.List[object]
foreach ($adapter in $verdict.down) {
    $label = "Network adapter $($adapter.name) ($($adapter.description), ifIndex $($adapter.ifIndex)) is $($adapter.status)"
    if ($verdict.up.Count -eq 0) {
        $findings.Add((New-Finding 'adapter-down' 0.95 "$label, and no adapter is Up."))
    } elseif ($adapter.role -eq 'management') {
        $findings.Add((New-Finding 'adapter-down' 0.9 "${label}: it $($verdict.management.how) and carries the management connection."))
    } elseif ($adapter.role -eq 'client-route') {
        $findings.Add((New-Finding 'adapter-down' 0.9 "${label}: the route to the client ($ClientAddress) goes through it."))
    } elseif ($verdict.pathKnown) {
        $path = @($verdict.up | Where-Object { $_.role -ne 'spare' } | ForEach-Object { $_.name }) -join ', '
        $findings.Add((New-Finding 'adapter-down' 0 "${label}: a spare port, not on RDP's path (which uses $path); unplugged or deliberately disabled ports are normal."))
    } else {
        $findings.Add((New-Finding 'adapter-down' 0.4 "$label; whether RDP uses it is unknown (no management address or client route found)."))
    }
}
if ($verdict.down.Count -eq 0) {
    $names = ($verdict.up | ForEach-Object { $_.name }) -join ', '
    $findings.Add((New-Finding 'adapter-down' 0 "All network adapters are Up ($names)."))
}

[pscustomobject]@{
    allUp      = ($verdict.down.Count -eq 0)
    pathUp     = ($verdict.suspects.Count -eq 0)
    suspects   = @($verdict.suspects | ForEach-Object { $_.name })
    adapters   = $verdict.adapters
    management = $verdict.management
    findings   = $findings.ToArray()
}
