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

function New-Finding([string] $Cause, [double] $Confidence, [string] $Evidence) {
    [pscustomobject]@{ cause = $Cause; confidence = $Confidence; evidence = $Evidence }
}

#region management (shared by Test-RdpNetAdapter.ps1 and Reset-RdpNetAdapter.ps1: keep identical)
function Get-ManagementAdapter([string] $Address) {
    $how = ''
    if (-not $Address -and $env:SSH_CONNECTION) {
        $parts = @($env:SSH_CONNECTION -split ' ')
        if ($parts.Count -ge 3) { $Address = $parts[2]; $how = 'from SSH_CONNECTION' }
    }
    if ($Address -and (Get-Command -Name Get-NetIPAddress -ErrorAction SilentlyContinue)) {
        $ip = @(Get-NetIPAddress -IPAddress $Address -ErrorAction SilentlyContinue) | Select-Object -First 1
        if ($null -ne $ip) {
            if (-not $how) { $how = 'holds the management address' }
            return [pscustomobject]@{ ifIndex = [int]$ip.InterfaceIndex; how = "$how ($Address)" }
        }
    }
    $route = $null
    if (Get-Command -Name Get-NetRoute -ErrorAction SilentlyContinue) {
        $route = @(Get-NetRoute -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue) | Sort-Object -Property RouteMetric | Select-Object -First 1
    }
    if ($null -ne $route) {
        return [pscustomobject]@{ ifIndex = [int]$route.InterfaceIndex; how = 'carries the default route' }
    }
    return [pscustomobject]@{ ifIndex = -1; how = 'unknown' }
}
#endregion

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
