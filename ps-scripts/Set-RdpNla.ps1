#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: turns Network Level Authentication off (Desired 0) or on (Desired 1).

.DESCRIPTION
    Uses Win32_TSGeneralSetting.SetUserAuthenticationRequired, or the Group Policy value when one
    overrides it. Turning NLA off lets unauthenticated users reach the logon screen: a temporary
    workaround until CredSSP/NLA works again, to be undone with Restore-RdpNla.ps1. Supports -WhatIf.

.PARAMETER Desired
    0 to stop requiring NLA, 1 to require it.

.OUTPUTS
    { changed, before, after, changes, warning } (before/after: the state of Test-RdpNlaState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(0, 1)]
    [int] $Desired = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$before = Get-RdpSettingState 'UserAuthentication' 0
$state = $before
$changes = New-Object System.Collections.Generic.List[string]
$target = $Desired

if (-not (($state.effective -eq $Desired))) {
    $changes.Add((Set-RdpSetting $PSCmdlet 'UserAuthentication' $before $target 'SetUserAuthenticationRequired' 'UserAuthenticationRequired'))
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpSettingState 'UserAuthentication' 0
    changes = $changes.ToArray()
    warning = $(if ($Desired -eq 0) { 'NLA is off: anyone who reaches the port sees the logon screen before authenticating. Turn it back on (undo) once CredSSP works.' } else { $null })
}
