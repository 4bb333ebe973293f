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

# The interface index of the route to $ClientAddress, or -1 (no address, no route, no NetTCPIP).
function Get-ClientRouteIndex([string] $ClientAddress) {
    if (-not $ClientAddress -or -not (Get-Command -Name Find-NetRoute -ErrorAction SilentlyContinue)) { return -1 }
    $route = @(Find-NetRoute -RemoteIPAddress $ClientAddress -ErrorAction SilentlyContinue | Where-Object { $_.PSObject.Properties['InterfaceIndex'] }) | Select-Object -First 1
    if ($null -eq $route) { return -1 }
    return [int]$route.InterfaceIndex
}

<#
  Which adapters break RDP: the down (Disabled or Disconnected) adapter that carries the management
  connection or the route to the client, or every down adapter when none is Up. A spare port that
  is down while RDP's path is Up (an unplugged NIC, an adapter disabled on purpose) is not a cause.
  The diagnosis (Test-RdpNetAdapter.ps1) and the fix's test both judge with this.
#>
function Get-RdpAdapterVerdict([string] $ManagementAddress, [string] $ClientAddress) {
    $management = Get-ManagementAdapter $ManagementAddress
    $clientRoute = Get-ClientRouteIndex $ClientAddress
    $adapters = @(Get-NetAdapter | Sort-Object -Property Name | ForEach-Object {
            $index = [int]$_.ifIndex
            $role = 'spare'
            if ($index -eq $management.ifIndex) { $role = 'management' } elseif ($index -eq $clientRoute) { $role = 'client-route' }
            [pscustomobject]@{ name = [string]$_.Name; description = [string]$_.InterfaceDescription; ifIndex = $index; status = [string]$_.Status; linkSpeed = [string]$_.LinkSpeed; role = $role }
        })
    $down = @($adapters | Where-Object { @('Disabled', 'Disconnected') -contains $_.status })
    $up = @($adapters | Where-Object { $_.status -eq 'Up' })
    $pathKnown = ($management.ifIndex -ge 0 -or $clientRoute -ge 0)
    $suspects = @($down | Where-Object { $_.role -ne 'spare' -or $up.Count -eq 0 })
    [pscustomobject]@{
        adapters    = $adapters
        management  = $management
        clientRoute = $clientRoute
        pathKnown   = $pathKnown
        down        = $down
        up          = $up
        suspects    = $suspects
    }
}
