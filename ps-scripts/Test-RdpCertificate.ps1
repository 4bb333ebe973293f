#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server the certificate the RDP listener presents: which one is bound, whether
    it has expired, and whether its private key exists and is readable by NETWORK SERVICE.

.DESCRIPTION
    The binding comes from Win32_TSGeneralSetting.SSLCertificateSHA1Hash (and the RDP-Tcp
    registry value of the same name for a custom certificate). The certificate is looked up in
    LocalMachine\My, then LocalMachine\Remote Desktop (where Windows keeps its self-signed one).
    Also lists valid certificates in My that name this server, for the renewal fix.

.PARAMETER HostName
    Names the certificate should carry (default: this computer's name and DNS name).

.OUTPUTS
    One object: usable (found, valid, key present and not known unreadable), binding { thumbprint, type, registry }, certificate { store, subject, thumbprint,
    notAfter, expired, daysLeft, hasPrivateKey, keyReadable, selfSigned }, candidates, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]] $HostName = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }

$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$serverAuth = '1.3.6.1.5.5.7.3.1'

$now = Get-Date
$listener = Get-ListenerCertificate $now
$names = @(Get-ServerName $HostName -Verbose:($VerbosePreference -eq 'Continue'))
if ($null -ne $listener.certificate) { $names = @($names + $listener.certificate.dnsNames | Select-Object -Unique) }
$candidates = @(Get-CandidateCertificate $names $now)
$cert = $listener.certificate

$findings = New-Object System.Collections.Generic.List[object]
if ($null -eq $cert) {
    if ($listener.registryThumbprint) {
        $findings.Add((New-Finding 'cert-expired' 0.8 "The RDP listener is bound to certificate $($listener.registryThumbprint) (SSLCertificateSHA1Hash under RDP-Tcp), which is in neither LocalMachine\My nor LocalMachine\Remote Desktop."))
    } else {
        $findings.Add((New-Finding 'cert-expired' 0.7 'The RDP listener has no certificate: LocalMachine\Remote Desktop holds no self-signed certificate and none is bound.'))
    }
} else {
    $name = $cert.subject
    $when = ([datetime]$cert.notAfter).ToUniversalTime().ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
    if ($cert.notYetValid) {
        $findings.Add((New-Finding 'cert-expired' 0.95 "The RDP listener's certificate $name (thumbprint $($cert.thumbprint), store $($cert.store)) is not valid yet: NotBefore is $($cert.notBefore), after this server's clock. Clients reject it until then."))
    } elseif ($cert.expired) {
        $kind = 'custom'
        if ($cert.selfSigned) { $kind = 'self-signed' }
        $findings.Add((New-Finding 'cert-expired' 0.95 ("The RDP listener's $kind certificate $name (thumbprint $($cert.thumbprint), store $($cert.store)) expired $when, {0} days ago." -f (-$cert.daysLeft))))
    } else {
        $findings.Add((New-Finding 'cert-expired' 0 "The RDP listener's certificate $name is valid until $when ($($cert.daysLeft) days left)."))
    }
    if (-not $cert.hasPrivateKey) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0.95 "The RDP listener's certificate $name (thumbprint $($cert.thumbprint)) has no private key in store $($cert.store)."))
    } elseif ($cert.keyReadable -eq $false) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0.9 "NETWORK SERVICE cannot read the private key of the RDP listener's certificate $name (thumbprint $($cert.thumbprint)); Remote Desktop Services runs as NETWORK SERVICE."))
    } elseif ($cert.keyReadable -eq $true) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0 "The private key of $name is present and readable by NETWORK SERVICE."))
    }
}

[pscustomobject]@{
    usable      = ($null -ne $cert -and -not $cert.expired -and -not $cert.notYetValid -and $cert.hasPrivateKey -and $cert.keyReadable -ne $false)
    binding     = [pscustomobject]@{ registryThumbprint = $listener.registryThumbprint; cimThumbprint = $listener.cimThumbprint; hashType = $listener.hashType }
    certificate = $cert
    serverNames = [string[]]$names
    candidates  = $candidates
    findings    = $findings.ToArray()
}
