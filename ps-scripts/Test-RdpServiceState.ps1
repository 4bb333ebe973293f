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

if (-not (Get-Module -Name RdpService)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpService.psm1') }

$RdpBackupStore = 'PSRemedyBackup'

$state = Get-RdpServiceState $RdpBackupStore
$problems = New-Object System.Collections.Generic.List[string]
if ((Get-EffectiveDeny $state) -ne 0) { $problems.Add('Remote Desktop connections are denied (fDenyTSConnections)') }
if ($state.termServiceStatus -ne 'Running') { $problems.Add("TermService is $($state.termServiceStatus) (start type $($state.termServiceStartType))") }
$reason = 'Remote Desktop is enabled and TermService is running.'
if ($problems.Count -gt 0) { $reason = ($problems -join '; ') + '.' }

[pscustomobject]@{ compliant = ($problems.Count -eq 0); reason = $reason; state = $state }
