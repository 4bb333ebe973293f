#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: enables Remote Desktop connections and starts Remote Desktop Services.

.DESCRIPTION
    Sets fDenyTSConnections to 0 where it decides (the Group Policy value when one is set, else
    the local value), sets TermService's start type to Manual when it is Disabled, and starts
    TermService. Starting it makes Windows replace an expired self-signed RDP certificate, so
    those certificates are first moved from 'Remote Desktop' into the PSRemedyBackup store
    (created if missing) for the undo to put back. Changes nothing that is already right.
    Supports -WhatIf.

.OUTPUTS
    { changed, before, after, changes } where before/after are the state of
    Test-RdpServiceState.ps1.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpService)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpService.psm1') }

$RdpBackupStore = 'PSRemedyBackup'

function Get-ReplacedRdpCertificate {
    # Windows replaces the certificates in 'Remote Desktop' when TermService starts with no
    # custom certificate bound (SSLCertificateSHA1Hash) and none of them valid now.
    $binding = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name SSLCertificateSHA1Hash -ErrorAction SilentlyContinue
    if ($null -ne $binding) { return @() }
    $now = Get-Date
    $certificates = @(Get-StoreCertificate 'Remote Desktop')
    $valid = @($certificates | Where-Object { [datetime]$_.NotBefore -le $now -and [datetime]$_.NotAfter -gt $now })
    if ($valid.Count -gt 0) { return @() }
    return $certificates
}

$before = Get-RdpServiceState $RdpBackupStore
$changes = New-Object System.Collections.Generic.List[string]
$tsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

if ($null -ne $before.policyFDenyTSConnections -and [int]$before.policyFDenyTSConnections -ne 0) {
    $what = "set fDenyTSConnections from $($before.policyFDenyTSConnections) to 0 under $policyKey (a domain GPO will set it again at its next refresh)"
    if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'fDenyTSConnections' 0 }
    $changes.Add($what)
} elseif ($null -eq $before.policyFDenyTSConnections -and (Get-EffectiveDeny $before) -ne 0) {
    $what = "set fDenyTSConnections from $($before.fDenyTSConnections) to 0 under $tsKey"
    if ($PSCmdlet.ShouldProcess($tsKey, $what)) { Set-RegDword $tsKey 'fDenyTSConnections' 0 }
    $changes.Add($what)
}
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$listenerProblems = @(Get-RdpListenerProblems $before $ClientAddress | Where-Object { $_.confidence -ge 0.5 })
if ($null -ne $before.fEnableWinStation -and [int]$before.fEnableWinStation -eq 0) {
    $what = "switch the RDP-Tcp listener on (fEnableWinStation from 0 to 1 under $rdpTcpKey)"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey 'fEnableWinStation' 1 }
    $changes.Add($what)
}
if (@($listenerProblems | Where-Object { $_.evidence -match 'LanAdapter' }).Count -gt 0) {
    # Azure's RDPSettings run command resets LanAdapter to 0 (all adapters) as well.
    $what = "bind the RDP-Tcp listener to all adapters (LanAdapter from $($before.lanAdapter) to 0 under $rdpTcpKey)"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey 'LanAdapter' 0 }
    $changes.Add($what)
}
if ($before.termServiceStartType -eq 'Disabled') {
    $what = 'set the start type of TermService from Disabled to Manual'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Set-Service -Name TermService -StartupType Manual }
    $changes.Add($what)
}
if ($before.termServiceStatus -ne 'Running') {
    # Kept in the backup store, not deleted by Windows, so the undo can put them back.
    $replaced = @(Get-ReplacedRdpCertificate)
    if ($replaced.Count -gt 0 -and -not $before.backupStoreExists) {
        $what = "create certificate store LocalMachine\$RdpBackupStore to keep the self-signed RDP certificate that starting TermService replaces"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$RdpBackupStore", $what)) { New-Item -Path "Cert:\LocalMachine\$RdpBackupStore" | Out-Null }
        $changes.Add($what)
    }
    foreach ($old in $replaced) {
        $what = "move self-signed certificate $($old.Subject) ($($old.Thumbprint), not after $(([datetime]$old.NotAfter).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture))) from 'Remote Desktop' to $RdpBackupStore before Windows replaces it"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\Remote Desktop\$($old.Thumbprint)", $what)) {
            Move-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$($old.Thumbprint)" -Destination "Cert:\LocalMachine\$RdpBackupStore"
        }
        $changes.Add($what)
    }
    $what = "start TermService (now $($before.termServiceStatus))"
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Start-Service -Name TermService }
    $changes.Add($what)
}

$after = Get-RdpServiceState $RdpBackupStore
[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = $after
    changes = $changes.ToArray()
}
