#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts back the Remote Desktop and TermService state that Enable-RdpService.ps1
    recorded as before.

.DESCRIPTION
    Restores fDenyTSConnections (local and policy; a value that was absent is removed again),
    TermService's running state and its start type. After the service is stopped, deletes the
    self-signed certificates Windows issued on the start, moves the replaced ones back from the
    PSRemedyBackup store into 'Remote Desktop', and removes that store if the apply created it.
    Supports -WhatIf.

.PARAMETER Before
    The before object Enable-RdpService.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpService)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpService.psm1') }

$RdpBackupStore = 'PSRemedyBackup'

$current = Get-RdpServiceState $RdpBackupStore
$changes = New-Object System.Collections.Generic.List[string]
$tsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

$wantPolicy = Get-Field $Before 'policyFDenyTSConnections'
if ([string]$wantPolicy -ne [string]$current.policyFDenyTSConnections) {
    $what = "restore fDenyTSConnections under $policyKey to $(if ($null -eq $wantPolicy) { '(absent)' } else { $wantPolicy })"
    if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'fDenyTSConnections' $wantPolicy }
    $changes.Add($what)
}
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
foreach ($name in 'fEnableWinStation', 'lanAdapter') {
    if (-not (Test-Field $Before $name)) { continue }
    $want = Get-Field $Before $name
    $now = $current.$name
    if ([string]$want -eq [string]$now) { continue }
    $valueName = $name
    if ($name -eq 'lanAdapter') { $valueName = 'LanAdapter' }
    $what = "restore $valueName under $rdpTcpKey to $(if ($null -eq $want) { '(absent)' } else { $want })"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey $valueName $want }
    $changes.Add($what)
}
$wantLocal = Get-Field $Before 'fDenyTSConnections'
if ([string]$wantLocal -ne [string]$current.fDenyTSConnections) {
    $what = "restore fDenyTSConnections under $tsKey to $(if ($null -eq $wantLocal) { '(absent)' } else { $wantLocal })"
    if ($PSCmdlet.ShouldProcess($tsKey, $what)) { Set-RegDword $tsKey 'fDenyTSConnections' $wantLocal }
    $changes.Add($what)
}
$wantStatus = [string](Get-Field $Before 'termServiceStatus')
if ($wantStatus -eq 'Stopped' -and $current.termServiceStatus -ne 'Stopped') {
    $what = 'stop TermService again (and the services that depend on it)'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Stop-Service -Name TermService -Force }
    $changes.Add($what)
} elseif ($wantStatus -eq 'Running' -and $current.termServiceStatus -ne 'Running') {
    $what = 'start TermService again'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Start-Service -Name TermService }
    $changes.Add($what)
}
# After the service: starting it would replace an expired certificate that was just put back.
# A before-state without the certificate fields (an older journal) leaves the certificates alone.
if ($null -ne (Get-Field $Before 'backupStoreExists')) {
    $wantRemoteDesktop = @(Get-Field $Before 'remoteDesktop' | Where-Object { $_ } | ForEach-Object { [string]$_ })
    foreach ($issued in @(Get-StoreCertificate 'Remote Desktop' | Where-Object { $wantRemoteDesktop -notcontains [string]$_.Thumbprint -and [string]$_.Subject -eq [string]$_.Issuer })) {
        $what = "delete self-signed certificate $($issued.Thumbprint) that Windows issued when TermService started (its key stays)"
        Remove-IssuedRdpCertificate ([string]$issued.Thumbprint) $what $PSCmdlet
        $changes.Add($what)
    }
    $movedBack = New-Object System.Collections.Generic.List[string]
    foreach ($thumb in $wantRemoteDesktop) {
        if ($current.remoteDesktop -contains $thumb) { continue }
        if ($current.backup -contains $thumb) {
            $what = "move certificate $thumb back from $RdpBackupStore to 'Remote Desktop'"
            if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$RdpBackupStore\$thumb", $what)) { Move-Item -LiteralPath "Cert:\LocalMachine\$RdpBackupStore\$thumb" -Destination 'Cert:\LocalMachine\Remote Desktop' }
            $movedBack.Add($thumb)
            $changes.Add($what)
        } else {
            Write-Warning "Certificate $thumb was in 'Remote Desktop' before and is in neither that store nor $RdpBackupStore now; it cannot be put back."
        }
    }
    if (-not [bool](Get-Field $Before 'backupStoreExists') -and $current.backupStoreExists) {
        $left = @($current.backup | Where-Object { $_ -and $movedBack -notcontains $_ })
        if ($left.Count -eq 0) {
            $what = "remove the certificate store LocalMachine\$RdpBackupStore the change created"
            if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$RdpBackupStore", $what)) { Remove-Item -LiteralPath "Cert:\LocalMachine\$RdpBackupStore" }
            $changes.Add($what)
        } else {
            Write-Warning "Certificate store LocalMachine\$RdpBackupStore still holds $($left -join ', '); it is left in place."
        }
    }
}
$wantStart = [string](Get-Field $Before 'termServiceStartType')
if ($wantStart -and $wantStart -ne $current.termServiceStartType) {
    $what = "set the start type of TermService back to $wantStart"
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Set-Service -Name TermService -StartupType $wantStart }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpServiceState $RdpBackupStore
    changes = $changes.ToArray()
}
