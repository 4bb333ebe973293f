#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is Remote Desktop enabled (effective fDenyTSConnections = 0) and Remote Desktop
    Services (TermService) running?

.OUTPUTS
    { compliant, reason, state { fDenyTSConnections, policyFDenyTSConnections,
    termServiceStatus, termServiceStartType, remoteDesktop, backupStoreExists, backup } } (absent
    registry values are null; remoteDesktop and backup: sorted thumbprints of the certificates in
    LocalMachine\Remote Desktop and LocalMachine\PSRemedyBackup).
#>
[CmdletBinding(SupportsShouldProcess)]
param()

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

$state = Get-RdpServiceState
$problems = New-Object System.Collections.Generic.List[string]
if ((Get-EffectiveDeny $state) -ne 0) { $problems.Add('Remote Desktop connections are denied (fDenyTSConnections)') }
if ($state.termServiceStatus -ne 'Running') { $problems.Add("TermService is $($state.termServiceStatus) (start type $($state.termServiceStartType))") }
$reason = 'Remote Desktop is enabled and TermService is running.'
if ($problems.Count -gt 0) { $reason = ($problems -join '; ') + '.' }

[pscustomobject]@{ compliant = ($problems.Count -eq 0); reason = $reason; state = $state }
