#Requires -Version 5.1
<#
.SYNOPSIS
    Checks whether the client can open a TCP connection to the RDP port, telling a refused
    connection (something answered: no listener) from a timed-out one (packets dropped).

.DESCRIPTION
    Uses a .NET TcpClient with a timeout (Windows PowerShell 5.1 and PowerShell 7). Unlike
    Test-NetConnection it tells refused from timed out, and does not depend on ICMP.

.PARAMETER ComputerName
    The RDP server's name, for messages and as the address when Address is empty.

.PARAMETER Address
    Where to connect (e.g. the address a DNS step resolved).

.PARAMETER Port
    The RDP port.

.PARAMETER TimeoutMs
    How long to wait for the TCP connect.

.OUTPUTS
    One object: computerName, address, sourceAddress (this client's address toward the server, which its
    firewall judges), port, reachable, refused, timedOut, error, elapsedMs, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $ComputerName,

    [string] $Address = '',

    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [ValidateRange(100, 120000)]
    [int] $TimeoutMs = 5000
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpClientNet)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpClientNet.psm1') }

$connectTo = $ComputerName
if ($Address) { $connectTo = $Address }
$target = "${ComputerName}:$Port"
if ($connectTo -ne $ComputerName) { $target = "$ComputerName ($connectTo):$Port" }

$reachable = $false
$refused = $false
$timedOut = $false
$errorText = $null
$ip = Resolve-ConnectAddress $connectTo
$sourceAddress = Get-SourceAddress $ip
$watch = [System.Diagnostics.Stopwatch]::StartNew()
$client = $null
try {
    if ($null -eq $ip) { throw (New-Object System.Net.Sockets.SocketException 11001) }
    $client = New-TcpClientFor $ip
    $pending = $client.BeginConnect($ip, $Port, $null, $null)
    if ($pending.AsyncWaitHandle.WaitOne($TimeoutMs)) {
        $client.EndConnect($pending)
        $reachable = $true
    } else {
        $timedOut = $true
        $errorText = "no answer within $TimeoutMs ms"
    }
} catch {
    $inner = $_.Exception
    while ($null -ne $inner.InnerException -and $inner -isnot [System.Net.Sockets.SocketException]) { $inner = $inner.InnerException }
    $errorText = $inner.Message
    if ($inner -is [System.Net.Sockets.SocketException]) {
        if ($inner.SocketErrorCode -eq [System.Net.Sockets.SocketError]::ConnectionRefused) { $refused = $true }
        if ($inner.SocketErrorCode -eq [System.Net.Sockets.SocketError]::TimedOut) { $timedOut = $true }
    }
} finally {
    if ($null -ne $client) { $client.Close() }
}
$elapsed = [int]$watch.ElapsedMilliseconds

$findings = New-Object System.Collections.Generic.List[object]
if ($reachable) {
    foreach ($cause in 'port-unreachable', 'firewall-closed', 'adapter-down', 'termservice-stopped', 'rdp-disabled', 'wrong-port') {
        $findings.Add((New-Finding $cause 0 "TCP connection to $target succeeded in $elapsed ms."))
    }
} elseif ($refused) {
    $findings.Add((New-Finding 'termservice-stopped' 0.25 "TCP connection to $target was refused: the host is up but nothing listens on port $Port."))
    $findings.Add((New-Finding 'rdp-disabled' 0.25 "TCP connection to $target was refused: Remote Desktop may be disabled on the server."))
    $findings.Add((New-Finding 'wrong-port' 0.2 "TCP connection to $target was refused: the server may listen for RDP on another port."))
    foreach ($cause in 'port-unreachable', 'firewall-closed', 'adapter-down') {
        $findings.Add((New-Finding $cause 0 "The server host answered on $target (connection refused), so packets reach it."))
    }
} elseif ($timedOut) {
    $findings.Add((New-Finding 'firewall-closed' 0.25 "TCP connection to $target timed out after $TimeoutMs ms: packets are silently dropped, as a closed firewall does."))
    $findings.Add((New-Finding 'adapter-down' 0.2 "TCP connection to $target timed out after $TimeoutMs ms: the server's network adapter may be down."))
    $findings.Add((New-Finding 'port-unreachable' 0.25 "TCP connection to $target timed out after $TimeoutMs ms."))
} else {
    $findings.Add((New-Finding 'port-unreachable' 0.3 "TCP connection to $target failed: $errorText."))
}

[pscustomobject]@{
    computerName = $ComputerName
    address      = $connectTo
    sourceAddress = $sourceAddress
    port         = $Port
    reachable    = $reachable
    refused      = $refused
    timedOut     = $timedOut
    error        = $errorText
    elapsedMs    = $elapsed
    findings     = $findings.ToArray()
}
