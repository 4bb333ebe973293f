#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: disables again the adapters Reset-RdpNetAdapter.ps1 found Disabled. A restart
    leaves nothing to undo.

.DESCRIPTION
    Disabling the adapter that carries the management connection drops this session. Supports
    -WhatIf.

.PARAMETER Before
    The before object Reset-RdpNetAdapter.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,
    [string] $Name = '',

    [switch] $Force,

    [string] $ManagementAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region state (shared by Test-RdpNetAdapterState.ps1, Reset-RdpNetAdapter.ps1, Restore-RdpNetAdapter.ps1: keep identical)
function Get-RdpAdapterState {
    $adapters = @(Get-NetAdapter | Sort-Object -Property Name | ForEach-Object {
            [pscustomobject]@{ name = [string]$_.Name; ifIndex = [int]$_.ifIndex; status = [string]$_.Status }
        })
    [pscustomobject]@{ adapters = $adapters }
}

function Select-DownAdapter($State, [string] $Name) {
    return @($State.adapters | Where-Object { (-not $Name -or $_.name -eq $Name) -and @('Disabled', 'Disconnected') -contains $_.status })
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

$current = Get-RdpAdapterState
$changes = New-Object System.Collections.Generic.List[string]
foreach ($want in @(Get-Field $Before 'adapters')) {
    $wantName = [string](Get-Field $want 'name')
    $now = @($current.adapters | Where-Object { $_.name -eq $wantName }) | Select-Object -First 1
    if ($null -eq $now) { Write-Warning "Network adapter $wantName is gone; nothing to restore."; continue }
    if ([string](Get-Field $want 'status') -eq 'Disabled' -and $now.status -ne 'Disabled') {
        $what = "disable network adapter $wantName again"
        if ($PSCmdlet.ShouldProcess($wantName, $what)) { Disable-NetAdapter -Name $wantName -Confirm:$false }
        $changes.Add($what)
    }
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpAdapterState
    changes = $changes.ToArray()
}
