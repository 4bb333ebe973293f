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

#region state (shared by Test-RdpNlaState.ps1, Set-RdpNla.ps1, Restore-RdpNla.ps1: keep identical)
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpNlaState([int] $Default) {
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'UserAuthentication'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'UserAuthentication'
    $effective = $Default
    if ($null -ne $policy) { $effective = [int]$policy } elseif ($null -ne $local) { $effective = [int]$local }
    [pscustomobject]@{ local = $local; policy = $policy; effective = $effective }
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

$before = Get-RdpNlaState 0
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
    after   = Get-RdpNlaState 0
    changes = $changes.ToArray()
    warning = $(if ($Desired -eq 0) { 'NLA is off: anyone who reaches the port sees the logon screen before authenticating. Turn it back on (undo) once CredSSP works.' } else { $null })
}
