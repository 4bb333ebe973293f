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

# Whether TLS 1.2 is on for SCHANNEL servers: the diagnosis's judgement (Get-SchannelServerProtocols),
# which the TLS fix's test uses.
function Test-TlsEnabled {
    return [bool](@((Get-SchannelServerProtocols).protocols | Where-Object { $_.name -eq 'TLS 1.2' })[0].on)
}

<#
  The SCHANNEL server protocols the RDP listener can offer: TLS 1.0, 1.1 and 1.2, each on unless
  its Server key says Enabled=0 or DisabledByDefault=1; an absent key or value means the OS
  default ("TLS registry settings"). Defaults from Microsoft's table "Protocols in TLS/SSL
  (Schannel SSP)": TLS 1.0, 1.1 and 1.2 Server Enabled from Windows Server 2012 to 2016 (build
  14393); Server 2019 (17763) and 2022 (20348) keep them (the deprecation of 1.0/1.1 is announced
  for Windows 11 Insider builds and later), so later builds count 1.0/1.1 as off by default.
#>
function Get-SchannelServerProtocols {
    $build = 20348
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -Name CurrentBuild -ErrorAction SilentlyContinue
    if ($null -ne $item -and [string]$item.CurrentBuild -match '^\d+$') { $build = [int]$item.CurrentBuild }
    $root = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
    $protocols = foreach ($name in 'TLS 1.0', 'TLS 1.1', 'TLS 1.2') {
        $key = "$root\$name\Server"
        $enabled = $null
        $disabledByDefault = $null
        $keyExists = Test-Path -LiteralPath $key
        if ($keyExists) {
            $value = Get-ItemProperty -LiteralPath $key -Name Enabled -ErrorAction SilentlyContinue
            if ($null -ne $value) { $enabled = [int]$value.Enabled }
            $value = Get-ItemProperty -LiteralPath $key -Name DisabledByDefault -ErrorAction SilentlyContinue
            if ($null -ne $value) { $disabledByDefault = [int]$value.DisabledByDefault }
        }
        $byDefault = ($name -eq 'TLS 1.2' -or $build -le 20348)
        $on = $byDefault
        if ($null -ne $enabled) { $on = ($enabled -ne 0) }
        if ($null -ne $disabledByDefault -and $disabledByDefault -ne 0) { $on = $false }
        [pscustomobject]@{ name = $name; keyExists = $keyExists; enabled = $enabled; disabledByDefault = $disabledByDefault; onByDefault = $byDefault; on = $on }
    }
    [pscustomobject]@{ build = $build; protocols = @($protocols); offered = @($protocols | Where-Object { $_.on } | ForEach-Object { $_.name }) }
}
