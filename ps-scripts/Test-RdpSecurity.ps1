#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server the RDP security settings that decide the handshake: SecurityLayer,
    MinEncryptionLevel, NLA (UserAuthentication) with the Group Policy values that override
    them, TLS 1.2 under SCHANNEL, FIPS, and the CredSSP settings NLA depends on.

.DESCRIPTION
    Effective value = the policy value under HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal
    Services when present, else the RDP-Tcp value, else the Windows default.

.OUTPUTS
    One object: tlsEnabled, securityLayer, minEncryptionLevel, userAuthentication (each { local, policy,
    effective }), tls12 { enabled, disabledByDefault, keyExists }, fips, disableDomainCreds,
    allowEncryptionOracle, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpTls)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpTls.psm1') }
if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
$tls12Key = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
$lsaKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa'
$fipsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa\FIPSAlgorithmPolicy'
$credSspKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'

function Get-SourceText($Setting, [string] $Name) {
    if ($Setting.source -eq 'policy') { return "$Name = $($Setting.policy) set by Group Policy" }
    if ($Setting.source -eq 'local') { return "$Name = $($Setting.local)" }
    return "$Name not set (default $($Setting.effective))"
}

$securityLayer = Get-RdpSetting 'SecurityLayer' 1
$encryption = Get-RdpSetting 'MinEncryptionLevel' 2
$nla = Get-RdpSetting 'UserAuthentication' 0
$tls12 = [pscustomobject]@{
    keyExists         = (Test-Path -LiteralPath $tls12Key)
    enabled           = Get-RegValue $tls12Key 'Enabled'
    disabledByDefault = Get-RegValue $tls12Key 'DisabledByDefault'
}
$fips = Get-RegValue $fipsKey 'Enabled'
$disableDomainCreds = Get-RegValue $lsaKey 'disabledomaincreds'
$oracle = Get-RegValue $credSspKey 'AllowEncryptionOracle'

$findings = New-Object System.Collections.Generic.List[object]
$layerNames = @{ 0 = 'RDP Security Layer'; 1 = 'Negotiate'; 2 = 'TLS' }
$layerText = Get-SourceText $securityLayer 'SecurityLayer'
if ($securityLayer.effective -eq 0) {
    $findings.Add((New-Finding 'security-layer-mismatch' 0.9 "$layerText ($($layerNames[0])): the server refuses TLS, so clients that require TLS or NLA are turned away."))
} elseif ($securityLayer.effective -eq 2 -and $encryption.effective -eq 1) {
    $findings.Add((New-Finding 'security-layer-mismatch' 0.3 "$layerText (TLS) with MinEncryptionLevel 1 (Low), a combination Windows documents as invalid; SecurityLayer 1 (Negotiate) or MinEncryptionLevel 2 is consistent."))
} else {
    $name = $layerNames[[int]$securityLayer.effective]
    if (-not $name) { $name = 'unknown' }
    $findings.Add((New-Finding 'security-layer-mismatch' 0 "$layerText ($name): the server accepts TLS."))
}

# Schannel's server protocols with the OS defaults for absent keys (lib/RdpTls.psm1): TLS 1.2 off
# breaks the handshake only when nothing else is left, or for clients that need TLS 1.2 (the
# isolation step raises it when this client's handshake failed at TLS).
$schannel = Get-SchannelServerProtocols
$tls12On = Test-TlsEnabled
$offered = @($schannel.offered)
$describe = (@($schannel.protocols | ForEach-Object {
            $how = 'default'
            if ($null -ne $_.enabled -or $null -ne $_.disabledByDefault) { $how = "Enabled = $($_.enabled), DisabledByDefault = $($_.disabledByDefault)" }
            $onText = 'off'
            if ($_.on) { $onText = 'on' }
            "$($_.name) $onText ($how)"
        })) -join ', '
if ($offered.Count -eq 0) {
    $findings.Add((New-Finding 'tls-disabled' 0.95 "No TLS version is enabled for the server side of SCHANNEL ($describe): the TLS handshake cannot succeed."))
} elseif (-not $tls12On) {
    $findings.Add((New-Finding 'tls-disabled' 0.45 "TLS 1.2 is disabled for SCHANNEL servers, but $($offered -join ' and ') remain on ($describe): Windows clients (mstsc offers TLS 1.0 to 1.2) still connect; clients that require TLS 1.2 fail."))
} elseif ($null -ne $fips -and [int]$fips -eq 1) {
    $findings.Add((New-Finding 'tls-disabled' 0.3 'FIPS mode is on (FIPSAlgorithmPolicy Enabled = 1): only FIPS cipher suites are offered, which some clients lack.'))
} else {
    $findings.Add((New-Finding 'tls-disabled' 0 "TLS 1.2 is enabled for the server side of SCHANNEL ($describe)."))
}

$nlaText = Get-SourceText $nla 'UserAuthentication'
if ($nla.effective -eq 0) {
    $findings.Add((New-Finding 'nla-mismatch' 0 "Network Level Authentication is not required ($nlaText), so CredSSP cannot refuse a client."))
} elseif ($null -ne $disableDomainCreds -and [int]$disableDomainCreds -eq 1) {
    # Source: Microsoft's "Troubleshoot authentication errors when you use RDP to connect to Azure VM"
    # (rdp-knowledge.md S20) lists disabledomaincreds = 1 among the causes of NLA failures and sets it
    # back to 0; no Microsoft page ties it to CredSSP directly, so it weighs less than a refusal.
    $findings.Add((New-Finding 'nla-mismatch' 0.7 "Network Level Authentication is required ($nlaText) but Lsa disabledomaincreds = 1 forbids the stored credentials CredSSP delegates, so NLA logons fail."))
} elseif ($null -ne $oracle -and [int]$oracle -eq 0) {
    $findings.Add((New-Finding 'nla-mismatch' 0.5 "Network Level Authentication is required ($nlaText) and CredSSP AllowEncryptionOracle = 0 (Force Updated Clients) refuses clients without the CredSSP update."))
} elseif ($securityLayer.effective -eq 0) {
    $findings.Add((New-Finding 'nla-mismatch' 0.4 "Network Level Authentication is required ($nlaText) while SecurityLayer = 0 forbids the TLS that CredSSP runs in."))
} else {
    $findings.Add((New-Finding 'nla-mismatch' 0.1 "Network Level Authentication is required ($nlaText): clients that cannot complete CredSSP (no domain controller, old CredSSP) are refused."))
}

[pscustomobject]@{
    tlsEnabled         = ($offered.Count -gt 0)
    tls12Enabled       = $tls12On
    tlsProtocols       = @($schannel.protocols)
    securityLayer      = $securityLayer
    minEncryptionLevel = $encryption
    userAuthentication = $nla
    tls12              = $tls12
    fips               = $fips
    disableDomainCreds = $disableDomainCreds
    allowEncryptionOracle = $oracle
    findings           = $findings.ToArray()
}
