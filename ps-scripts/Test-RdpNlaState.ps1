#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is Network Level Authentication (UserAuthentication) set as wanted (Desired: 0 off,
    1 required)?

.OUTPUTS
    { compliant, reason, state { local, policy, effective } } (absent values are null).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(0, 1)]
    [int] $Desired = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$state = Get-RdpSettingState 'UserAuthentication' 0
$compliant = ($state.effective -eq $Desired)
$reason = "Network Level Authentication is $(if ($state.effective -eq 1) { 'required' } else { 'not required' }) (UserAuthentication = $($state.effective)); wanted: $Desired."

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
