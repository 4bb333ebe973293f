#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does the RDP listener accept TLS (SecurityLayer 1 Negotiate or 2 TLS, not 0 RDP)?

.OUTPUTS
    { compliant, reason, state { local, policy, effective } } (absent values are null).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(1, 2)]
    [int] $Desired = 2
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$state = Get-RdpSettingState 'SecurityLayer' 1
$compliant = ($state.effective -ne 0)
$reason = "SecurityLayer is $($state.effective) (0 RDP, 1 Negotiate, 2 TLS); the listener $(if ($state.effective -ne 0) { 'accepts' } else { 'refuses' }) TLS."

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
