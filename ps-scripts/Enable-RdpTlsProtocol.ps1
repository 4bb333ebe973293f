#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: enables TLS 1.2 for the server side of SCHANNEL.

.DESCRIPTION
    Sets Enabled to 1 when it is 0 and DisabledByDefault to 0 when it is not 0, under
    ...\SCHANNEL\Protocols\TLS 1.2\Server. Values that are absent stay absent (absent means
    enabled). Windows reads SCHANNEL settings at boot: restart the server for the change to reach
    the RDP listener. Supports -WhatIf.

.OUTPUTS
    { changed, before, after, changes, restartRequired } (before/after: the state of Test-RdpTlsProtocolState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param()

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

$before = Get-RdpTlsState
$changes = New-Object System.Collections.Generic.List[string]
if ($null -ne $before.enabled -and $before.enabled -eq 0) {
    $what = "set Enabled from 0 to 1 under $($before.key)"
    if ($PSCmdlet.ShouldProcess($before.key, $what)) { Set-RegDword $before.key 'Enabled' 1 }
    $changes.Add($what)
}
if ($null -ne $before.disabledByDefault -and $before.disabledByDefault -ne 0) {
    $what = "set DisabledByDefault from $($before.disabledByDefault) to 0 under $($before.key)"
    if ($PSCmdlet.ShouldProcess($before.key, $what)) { Set-RegDword $before.key 'DisabledByDefault' 0 }
    $changes.Add($what)
}

[pscustomobject]@{
    changed         = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before          = $before
    after           = Get-RdpTlsState
    changes         = $changes.ToArray()
    restartRequired = ($changes.Count -gt 0)
}
