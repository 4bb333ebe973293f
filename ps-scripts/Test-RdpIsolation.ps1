#Requires -Version 5.1
<#
.SYNOPSIS
    Puts the client-side and server-side results side by side (isolation order, step 6): when
    the server's own listener, firewall and adapters are fine but the client still cannot
    connect, the fault lies between them or the name leads to another machine; when TLS fails
    although TLS 1.2 is on and the certificate is valid, the listener cannot use its key.

.DESCRIPTION
    Takes the earlier steps' results as plain values (the playbook passes them), so it runs
    anywhere and touches nothing.

.PARAMETER ComputerName
    The name the admin connects to.

.PARAMETER Address
    The address the client connected to.

.PARAMETER Port
    The RDP port the client used.

.PARAMETER TcpReachable
    The client's TCP connect succeeded.

.PARAMETER TcpRefused
    The client's TCP connect was refused.

.PARAMETER TcpTimedOut
    The client's TCP connect timed out.

.PARAMETER ServerChecked
    The server-side steps ran and answered (false when the target could not be reached).

.PARAMETER ListenerReady
    On the server: RDP enabled, TermService running, listening on Port.

.PARAMETER FirewallOpen
    On the server: Windows Firewall allows the listener's port.

.PARAMETER AdaptersUp
    On the server: no network adapter on RDP's path is Disabled or Disconnected.

.PARAMETER HostsFileOverride
    On the client: the hosts file answers differently from DNS.

.PARAMETER TlsFailed
    The handshake probe got a Negotiation Response selecting TLS or CredSSP, then TLS failed.

.PARAMETER Tls12Enabled
    The server has TLS 1.2 on (the security step's tls12Enabled).

.PARAMETER TlsEnabled
    On the server: some TLS version is enabled for SCHANNEL servers.

.PARAMETER CertificateValid
    On the server: the listener certificate exists, has not expired and has a private key.

.OUTPUTS
    One object: verdict (text), findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [string] $ComputerName,

    [string] $Address = '',

    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [bool] $TcpReachable = $false,
    [bool] $TcpRefused = $false,
    [bool] $TcpTimedOut = $false,
    [bool] $ServerChecked = $false,
    [bool] $ListenerReady = $false,
    [bool] $FirewallOpen = $false,
    [bool] $AdaptersUp = $false,
    [bool] $HostsFileOverride = $false,
    [bool] $TlsFailed = $false,
    [bool] $TlsEnabled = $false,
    [bool] $Tls12Enabled = $true,
    [bool] $CertificateValid = $false
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }

$target = "${ComputerName}:$Port"
if ($Address -and $Address -ne $ComputerName) { $target = "$ComputerName ($Address):$Port" }
$serverFine = $ServerChecked -and $ListenerReady -and $FirewallOpen -and $AdaptersUp
$findings = New-Object System.Collections.Generic.List[object]
$verdict = 'inconclusive'

if ($TcpReachable) {
    $verdict = 'path open'
    $findings.Add((New-Finding 'port-unreachable' 0 "The client reaches $target over TCP."))
} elseif (-not $ServerChecked) {
    $verdict = 'server not checked'
} elseif ($serverFine -and $TcpTimedOut) {
    $verdict = 'blocked between client and server'
    $findings.Add((New-Finding 'port-unreachable' 0.8 "The server listens on port $Port, its firewall allows it and its adapters are up, yet TCP from this client to $target times out: a network firewall, security group or route between them drops the packets."))
    if ($HostsFileOverride) {
        $findings.Add((New-Finding 'dns-mismatch' 0.5 "TCP to $target times out while the server is ready, and this client's hosts file overrides DNS for ${ComputerName}: it may point at another machine."))
    }
} elseif ($serverFine -and $TcpRefused) {
    $verdict = 'another machine answers'
    $findings.Add((New-Finding 'dns-mismatch' 0.6 "The server's RDP listener is running on port $Port, yet $target refuses the connection: $ComputerName probably resolves to another machine on this client."))
    $findings.Add((New-Finding 'port-unreachable' 0.3 "The server is ready on port $Port but the connection to $target is refused: a device in between may reset it."))
} elseif ($serverFine) {
    $verdict = 'server ready, client cannot connect'
    $findings.Add((New-Finding 'port-unreachable' 0.5 "The server is ready on port $Port but this client cannot connect to $target."))
} else {
    $verdict = 'server-side fault'
}

if ($TlsFailed -and $ServerChecked) {
    if ($TlsEnabled -and -not $Tls12Enabled) {
        $verdict = 'no TLS version in common'
        $findings.Add((New-Finding 'tls-disabled' 0.6 "The server negotiated TLS, then the TLS handshake failed: TLS 1.2 is disabled on the server and only older versions are left, which this client does not accept (Windows' mstsc still would)."))
        $findings.Add((New-Finding 'cert-key-unreadable' 0 'TLS fails because TLS 1.2 is disabled on the server, not because of the certificate key.'))
    } elseif ($TlsEnabled -and $CertificateValid) {
        $verdict = 'listener cannot use its certificate key'
        $findings.Add((New-Finding 'cert-key-unreadable' 0.7 "The server negotiated TLS, then the TLS handshake failed, although TLS 1.2 is enabled on the server and its certificate is valid: Remote Desktop Services (NETWORK SERVICE) most likely cannot read the certificate's private key."))
    } elseif (-not $TlsEnabled) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0 'TLS fails because no TLS version is enabled on the server, not because of the certificate key.'))
    }
}

[pscustomobject]@{
    verdict  = $verdict
    findings = $findings.ToArray()
}
