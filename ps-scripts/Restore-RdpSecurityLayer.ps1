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

#region state (shared by Test-RdpSecurityLayerState.ps1, Set-RdpSecurityLayer.ps1, Restore-RdpSecurityLayer.ps1: keep identical)
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpSecurityLayerState([int] $Default) {
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'SecurityLayer'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'SecurityLayer'
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

$current = Get-RdpSecurityLayerState 1
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
    after   = Get-RdpSecurityLayerState 1
    changes = $changes.ToArray()
}
