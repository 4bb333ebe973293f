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

if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpTls)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpTls.psm1') }

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
