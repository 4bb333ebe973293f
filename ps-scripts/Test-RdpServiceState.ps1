#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is Remote Desktop enabled (effective fDenyTSConnections = 0), the RDP-Tcp listener on
    (fEnableWinStation) and bound where the client arrives (LanAdapter), and Remote Desktop
    Services (TermService) running? The listener diagnosis's judgement (Get-RdpListenerProblems).

.OUTPUTS
    { compliant, reason, state { fDenyTSConnections, policyFDenyTSConnections, fEnableWinStation, lanAdapter,
    termServiceStatus, termServiceStartType, remoteDesktop, backupStoreExists, backup } } (absent
    registry values are null; remoteDesktop and backup: sorted thumbprints of the certificates in
    LocalMachine\Remote Desktop and LocalMachine\PSRemedyBackup).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpService)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpService.psm1') }

$RdpBackupStore = 'PSRemedyBackup'

$state = Get-RdpServiceState $RdpBackupStore
# The listener diagnosis's judgement: detected problems only (a 0.4 "unknown" binding is not one).
$problems = @(Get-RdpListenerProblems $state $ClientAddress | Where-Object { $_.confidence -ge 0.5 })
$reason = 'Remote Desktop is enabled, its listener is on and TermService is running.'
if ($problems.Count -gt 0) { $reason = (($problems | ForEach-Object { $_.evidence }) -join ' ') }

[pscustomobject]@{ compliant = ($problems.Count -eq 0); reason = $reason; state = $state }
