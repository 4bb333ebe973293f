#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: sets SecurityLayer to Desired (2 TLS, or 1 Negotiate) when the listener refuses TLS.

.DESCRIPTION
    Uses Win32_TSGeneralSetting.SetSecurityLayer, or the Group Policy value when one overrides
    it. With MinEncryptionLevel 1 (Low), where SecurityLayer 2 is invalid, it sets 1 (Negotiate),
    which accepts TLS too. Supports -WhatIf.

.PARAMETER Desired
    2 (TLS, recommended) or 1 (Negotiate).

.OUTPUTS
    { changed, before, after, changes, warning } (before/after: the state of Test-RdpSecurityLayerState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(1, 2)]
    [int] $Desired = 2
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$before = Get-RdpSettingState 'SecurityLayer' 1
$state = $before
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
$target = $Desired
$level = Get-RegValue $policyKey 'MinEncryptionLevel'
if ($null -eq $level) { $level = Get-RegValue $rdpTcpKey 'MinEncryptionLevel' }
if ($Desired -eq 2 -and $null -ne $level -and [int]$level -eq 1) {
    # SecurityLayer 2 (TLS) with MinEncryptionLevel 1 (Low) is an invalid combination; Negotiate also accepts TLS.
    $target = 1
}

if (-not (($state.effective -ne 0))) {
    $changes.Add((Set-RdpSetting $PSCmdlet 'SecurityLayer' $before $target 'SetSecurityLayer' 'SecurityLayer'))
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpSettingState 'SecurityLayer' 1
    changes = $changes.ToArray()
    warning = $null
}
