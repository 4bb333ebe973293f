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

    [string] $ManagementAddress = '',

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

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
