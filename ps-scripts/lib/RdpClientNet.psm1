#Requires -Version 5.1
<#
.SYNOPSIS
    The client side of reaching the RDP server: which address to connect to, a TCP client for
    that address family, and the source address the server sees (for firewall scopes).

.DESCRIPTION
    On .NET Framework (Windows PowerShell 5.1) `New-Object System.Net.Sockets.TcpClient` is
    IPv4-only ("On .NET Framework, this constructor works only with IPv4 address types", TcpClient
    constructor docs), so the client is made for the address's family.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The IP address to connect to: $Address as given when it is one, else the name's first address
# (IPv6 first when the name has one, as getaddrinfo orders them for mstsc), else $null.
function Resolve-ConnectAddress([string] $Address) {
    $parsed = $null
    if ([System.Net.IPAddress]::TryParse($Address, [ref] $parsed)) { return $parsed }
    try { $all = @([System.Net.Dns]::GetHostAddresses($Address)) } catch { return $null }
    if ($all.Count -eq 0) { return $null }
    return $all[0]
}

# A TcpClient for the address family of $Address (an IPAddress).
function New-TcpClientFor($Address) {
    return New-Object System.Net.Sockets.TcpClient ($Address.AddressFamily)
}

# The local address this client uses toward $Address (an IPAddress): Find-NetRoute where the
# NetTCPIP module has it, else a UDP socket's local end after Connect (no packet is sent).
function Get-SourceAddress($Address) {
    if ($null -eq $Address) { return '' }
    if (Get-Command -Name Find-NetRoute -ErrorAction SilentlyContinue) {
        $route = @(Find-NetRoute -RemoteIPAddress $Address.ToString() -ErrorAction SilentlyContinue | Where-Object { $_.PSObject.Properties['IPAddress'] -and $_.IPAddress })
        if ($route.Count -gt 0) { return [string]$route[0].IPAddress }
    }
    $socket = New-Object System.Net.Sockets.Socket ($Address.AddressFamily, [System.Net.Sockets.SocketType]::Dgram, [System.Net.Sockets.ProtocolType]::Udp)
    try {
        $socket.Connect($Address, 3389)
        return $socket.LocalEndPoint.Address.ToString()
    } catch {
        return ''
    } finally {
        $socket.Close()
    }
}
