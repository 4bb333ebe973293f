#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts SecurityLayer back exactly as Set-RdpSecurityLayer.ps1 found it.

.DESCRIPTION
    Restores the RDP-Tcp and Group Policy values exactly (a value that was absent is removed
    again). Supports -WhatIf.

.PARAMETER Before
    The before object Set-RdpSecurityLayer.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

    [ValidateSet(1, 2)]
    [int] $Desired = 2
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$current = Get-RdpSettingState 'SecurityLayer' 1
$changes = New-Object System.Collections.Generic.List[string]
$keys = [ordered]@{
    policy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
    local  = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
}
foreach ($which in $keys.Keys) {
    $want = Get-Field $Before $which
    $now = $current.$which
    if ([string]$want -ne [string]$now) {
        $shown = '(absent)'
        if ($null -ne $want) { $shown = [string]$want }
        $what = "restore SecurityLayer under $($keys[$which]) to $shown"
        if ($PSCmdlet.ShouldProcess($keys[$which], $what)) { Set-RegDword $keys[$which] 'SecurityLayer' $want }
        $changes.Add($what)
    }
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpSettingState 'SecurityLayer' 1
    changes = $changes.ToArray()
}
