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
$level = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'MinEncryptionLevel'
if ($null -eq $level) { $level = Get-RegValue $rdpTcpKey 'MinEncryptionLevel' }
if ($Desired -eq 2 -and $null -ne $level -and [int]$level -eq 1) {
    # SecurityLayer 2 (TLS) with MinEncryptionLevel 1 (Low) is an invalid combination; Negotiate also accepts TLS.
    $target = 1
}

if (-not (($state.effective -ne 0))) {
    if ($null -ne $before.policy) {
        $what = "set SecurityLayer from $($before.policy) to $target under $policyKey (Group Policy value; a domain GPO will set it again at its next refresh)"
        if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'SecurityLayer' $target }
    } else {
        $what = "set SecurityLayer from $($before.effective) to $target (Win32_TSGeneralSetting.SetSecurityLayer)"
        if ($PSCmdlet.ShouldProcess('RDP-Tcp', $what)) {
            $setting = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
            $result = Invoke-CimMethod -InputObject $setting -MethodName SetSecurityLayer -Arguments @{ SecurityLayer = [uint32]$target }
            if ([int64]$result.ReturnValue -ne 0) {
                throw ("SetSecurityLayer({0}) returned {1} (0x{1:X}): the value is controlled elsewhere or invalid. Check $policyKey and Group Policy." -f $target, [int64]$result.ReturnValue)
            }
        }
    }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpSettingState 'SecurityLayer' 1
    changes = $changes.ToArray()
    warning = $null
}
