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

if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$before = Get-RdpSettingState 'UserAuthentication' 0
$state = $before
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
$target = $Desired

if (-not (($state.effective -eq $Desired))) {
    if ($null -ne $before.policy) {
        $what = "set UserAuthentication from $($before.policy) to $target under $policyKey (Group Policy value; a domain GPO will set it again at its next refresh)"
        if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'UserAuthentication' $target }
    } else {
        $what = "set UserAuthentication from $($before.effective) to $target (Win32_TSGeneralSetting.SetUserAuthenticationRequired)"
        if ($PSCmdlet.ShouldProcess('RDP-Tcp', $what)) {
            $setting = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
            $result = Invoke-CimMethod -InputObject $setting -MethodName SetUserAuthenticationRequired -Arguments @{ UserAuthenticationRequired = [uint32]$target }
            if ([int64]$result.ReturnValue -ne 0) {
                throw ("SetUserAuthenticationRequired({0}) returned {1} (0x{1:X}): the value is controlled elsewhere or invalid. Check $policyKey and Group Policy." -f $target, [int64]$result.ReturnValue)
            }
        }
    }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpSettingState 'UserAuthentication' 0
    changes = $changes.ToArray()
    warning = $(if ($Desired -eq 0) { 'NLA is off: anyone who reaches the port sees the logon screen before authenticating. Turn it back on (undo) once CredSSP works.' } else { $null })
}
