#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is TLS 1.2 enabled for the server side of SCHANNEL (the values under
    ...\SCHANNEL\Protocols\TLS 1.2\Server are absent, or Enabled is not 0 and DisabledByDefault is 0)?

.OUTPUTS
    { compliant, reason, state { key, enabled, disabledByDefault } } (absent values are null).
#>
[CmdletBinding(SupportsShouldProcess)]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpTls)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpTls.psm1') }

$state = Get-RdpTlsState
$compliant = Test-TlsEnabled
$reason = 'TLS 1.2 is enabled for SCHANNEL servers.'
if (-not $compliant) { $reason = "TLS 1.2 is disabled for SCHANNEL servers (Enabled = $($state.enabled), DisabledByDefault = $($state.disabledByDefault))." }

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
