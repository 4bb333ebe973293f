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

$state = Get-RdpTlsState
$compliant = Test-TlsEnabled $state
$reason = 'TLS 1.2 is enabled for SCHANNEL servers.'
if (-not $compliant) { $reason = "TLS 1.2 is disabled for SCHANNEL servers (Enabled = $($state.enabled), DisabledByDefault = $($state.disabledByDefault))." }

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
