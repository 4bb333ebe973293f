#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts the TLS 1.2 server values back exactly as Enable-RdpTlsProtocol.ps1 found them.

.DESCRIPTION
    Supports -WhatIf. Like the change itself, it reaches SCHANNEL at the next restart.

.PARAMETER Before
    The before object Enable-RdpTlsProtocol.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes, restartRequired }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region state (shared by Test-RdpTlsProtocolState.ps1, Enable-RdpTlsProtocol.ps1, Restore-RdpTlsProtocol.ps1: keep identical)
function Get-RdpTlsState {
    $key = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
    $enabled = $null
    $disabledByDefault = $null
    if (Test-Path -LiteralPath $key) {
        $item = Get-ItemProperty -LiteralPath $key -Name Enabled -ErrorAction SilentlyContinue
        if ($null -ne $item) { $enabled = [int]$item.Enabled }
        $item = Get-ItemProperty -LiteralPath $key -Name DisabledByDefault -ErrorAction SilentlyContinue
        if ($null -ne $item) { $disabledByDefault = [int]$item.DisabledByDefault }
    }
    [pscustomobject]@{ key = $key; enabled = $enabled; disabledByDefault = $disabledByDefault }
}

function Test-TlsEnabled($State) {
    return -not (($null -ne $State.enabled -and $State.enabled -eq 0) -or ($null -ne $State.disabledByDefault -and $State.disabledByDefault -ne 0))
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

$current = Get-RdpTlsState
$changes = New-Object System.Collections.Generic.List[string]
foreach ($pair in @(@('enabled', 'Enabled'), @('disabledByDefault', 'DisabledByDefault'))) {
    $want = Get-Field $Before $pair[0]
    $now = $current.($pair[0])
    if ([string]$want -ne [string]$now) {
        $shown = '(absent)'
        if ($null -ne $want) { $shown = [string]$want }
        $what = "restore $($pair[1]) under $($current.key) to $shown"
        if ($PSCmdlet.ShouldProcess($current.key, $what)) { Set-RegDword $current.key $pair[1] $want }
        $changes.Add($what)
    }
}

[pscustomobject]@{
    changed         = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before          = $current
    after           = Get-RdpTlsState
    changes         = $changes.ToArray()
    restartRequired = ($changes.Count -gt 0)
}
