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

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpTls)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpTls.psm1') }

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
