#Requires -Version 5.1
<#
.SYNOPSIS
    Reads whether Schannel lets the RDP listener offer TLS 1.2 as a server.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpTls.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The TLS 1.2 server values under SCHANNEL\Protocols (each $null when not set).
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

# Whether a recorded TLS state leaves TLS 1.2 enabled (neither Enabled=0 nor DisabledByDefault set).
function Test-TlsEnabled($State) {
    return -not (($null -ne $State.enabled -and $State.enabled -eq 0) -or ($null -ne $State.disabledByDefault -and $State.disabledByDefault -ne 0))
}
