#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the network adapters and finds the one that carries the management connection.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpNetAdapter.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Every adapter with its ifIndex and status, by name.
function Get-RdpAdapterState {
    $adapters = @(Get-NetAdapter | Sort-Object -Property Name | ForEach-Object {
            [pscustomobject]@{ name = [string]$_.Name; ifIndex = [int]$_.ifIndex; status = [string]$_.Status }
        })
    [pscustomobject]@{ adapters = $adapters }
}

# The recorded adapters that are down (Disabled or Disconnected), optionally only the named one.
function Select-DownAdapter($State, [string] $Name) {
    return @($State.adapters | Where-Object { (-not $Name -or $_.name -eq $Name) -and @('Disabled', 'Disconnected') -contains $_.status })
}

# The adapter that carries the management session (by its address, else the default route).
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
