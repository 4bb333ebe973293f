#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: sets the RDP listener back to the port clients connect to, moves the built-in
    firewall rule to that port, and restarts Remote Desktop Services so the listener rebinds.

.DESCRIPTION
    Writes PortNumber under RDP-Tcp, runs Set-NetFirewallRule -Name <rule> -LocalPort <port> when
    the rule does not cover the port, and restarts TermService when it runs (this drops open RDP
    sessions). Changes nothing that is already right. Supports -WhatIf.

.OUTPUTS
    { changed, before, after, changes } (before/after: the state of Test-RdpPortNumberState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpPortNumber)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpPortNumber.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }

$before = Get-RdpPortState $RuleName
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

if ((Get-EffectivePort $before) -ne $Port) {
    $what = "set PortNumber from $(Get-EffectivePort $before) to $Port under $rdpTcpKey"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey 'PortNumber' $Port }
    $changes.Add($what)
}
# Both built-in rules follow the port: RDP over UDP (RemoteDesktop-UserMode-In-UDP) is lost otherwise.
foreach ($rule in @(@($RuleName, $before.ruleLocalPort, 'TCP'), @($before.udpRuleName, $before.udpRuleLocalPort, 'UDP'))) {
    $name = [string]$rule[0]
    $localPort = $rule[1]
    if ($null -eq $localPort -or $localPort -eq 'Any' -or (@($localPort -split ',') -contains [string]$Port)) { continue }
    $what = "set the local port of firewall rule $name ($($rule[2])) from $localPort to $Port"
    if ($PSCmdlet.ShouldProcess($name, $what)) { Set-NetFirewallRule -Name $name -LocalPort ([string]$Port) }
    $changes.Add($what)
}
if ($changes.Count -gt 0 -and $before.termServiceStatus -eq 'Running') {
    $what = 'restart TermService so the listener uses the new port (open RDP sessions drop)'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Restart-Service -Name TermService -Force }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpPortState $RuleName
    changes = $changes.ToArray()
}
