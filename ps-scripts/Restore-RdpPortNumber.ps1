#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts back the PortNumber and firewall rule port that Reset-RdpPortNumber.ps1
    recorded as before, and restarts Remote Desktop Services.

.DESCRIPTION
    Supports -WhatIf.

.PARAMETER Before
    The before object Reset-RdpPortNumber.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpPortNumber)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpPortNumber.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }

$ruleName = [string](Get-Field $Before 'ruleName')
if (-not $ruleName) { $ruleName = 'RemoteDesktop-UserMode-In-TCP' }
$udpName = [string](Get-Field $Before 'udpRuleName')
if (-not $udpName) { $udpName = 'RemoteDesktop-UserMode-In-UDP' }
$current = Get-RdpPortState $ruleName $udpName
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

$wantPort = Get-Field $Before 'portNumber'
if ([string]$wantPort -ne [string]$current.portNumber) {
    $what = "restore PortNumber under $rdpTcpKey to $(if ($null -eq $wantPort) { '(absent)' } else { $wantPort })"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey 'PortNumber' $wantPort }
    $changes.Add($what)
}
foreach ($rule in @(@($ruleName, (Get-Field $Before 'ruleLocalPort'), $current.ruleLocalPort), @($udpName, (Get-Field $Before 'udpRuleLocalPort'), $current.udpRuleLocalPort))) {
    $name = [string]$rule[0]
    $wantRulePort = $rule[1]
    if (-not $name -or $null -eq $wantRulePort -or $null -eq $rule[2] -or [string]$wantRulePort -eq [string]$rule[2]) { continue }
    $what = "restore the local port of firewall rule $name to $wantRulePort"
    if ($PSCmdlet.ShouldProcess($name, $what)) { Set-NetFirewallRule -Name $name -LocalPort ([string[]]@(([string]$wantRulePort) -split ',')) }
    $changes.Add($what)
}
if ($changes.Count -gt 0 -and $current.termServiceStatus -eq 'Running') {
    $what = 'restart TermService so the listener uses the restored port (open RDP sessions drop)'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Restart-Service -Name TermService -Force }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpPortState $ruleName $udpName
    changes = $changes.ToArray()
}
