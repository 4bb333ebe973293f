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
    [object] $Before
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }

#region state (shared by Test-RdpServiceState.ps1, Enable-RdpService.ps1, Restore-RdpService.ps1: keep identical)
# Starting TermService replaces an expired self-signed RDP certificate, so the state carries the
# certificates of 'Remote Desktop' and of the store the apply keeps the replaced ones in.
$RdpBackupStore = 'PSRemedyBackup'

function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpServiceState {
    $service = Get-Service -Name TermService
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' 'fDenyTSConnections'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'fDenyTSConnections'
    [pscustomobject]@{
        fDenyTSConnections       = $local
        policyFDenyTSConnections = $policy
        termServiceStatus        = [string]$service.Status
        termServiceStartType     = [string]$service.StartType
        remoteDesktop            = [string[]]@(Get-StoreCertificate 'Remote Desktop' | ForEach-Object { [string]$_.Thumbprint } | Sort-Object)
        backupStoreExists        = (Test-Path -LiteralPath "Cert:\LocalMachine\$RdpBackupStore")
        backup                   = [string[]]@(Get-StoreCertificate $RdpBackupStore | ForEach-Object { [string]$_.Thumbprint } | Sort-Object)
    }
}

function Get-EffectiveDeny($State) {
    if ($null -ne $State.policyFDenyTSConnections) { return [int]$State.policyFDenyTSConnections }
    if ($null -ne $State.fDenyTSConnections) { return [int]$State.fDenyTSConnections }
    return 1
}
#endregion

function Get-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Set-RegDword([string] $Path, [string] $Name, $Value) {
    # $null removes the value, so a value that was absent before is absent again.
    $exists = $null -ne (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    if ($null -eq $Value) {
        if ($exists) { Remove-ItemProperty -LiteralPath $Path -Name $Name }
    } elseif ($exists) {
        Set-ItemProperty -LiteralPath $Path -Name $Name -Value ([int]$Value)
    } else {
        New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType DWord -Value ([int]$Value) | Out-Null
    }
}

$current = Get-RdpServiceState
$changes = New-Object System.Collections.Generic.List[string]
$tsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

$wantPolicy = Get-Field $Before 'policyFDenyTSConnections'
if ([string]$wantPolicy -ne [string]$current.policyFDenyTSConnections) {
    $what = "restore fDenyTSConnections under $policyKey to $(if ($null -eq $wantPolicy) { '(absent)' } else { $wantPolicy })"
    if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'fDenyTSConnections' $wantPolicy }
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
        $what = "delete self-signed certificate $($issued.Thumbprint) that Windows issued when TermService started"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\Remote Desktop\$($issued.Thumbprint)", $what)) { Remove-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$($issued.Thumbprint)" -DeleteKey }
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
    after   = Get-RdpServiceState
    changes = $changes.ToArray()
}
