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
$current = Get-RdpPortState $ruleName
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

$wantPort = Get-Field $Before 'portNumber'
if ([string]$wantPort -ne [string]$current.portNumber) {
    $what = "restore PortNumber under $rdpTcpKey to $(if ($null -eq $wantPort) { '(absent)' } else { $wantPort })"
    if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Set-RegDword $rdpTcpKey 'PortNumber' $wantPort }
    $changes.Add($what)
}
$wantRulePort = Get-Field $Before 'ruleLocalPort'
if ($null -ne $wantRulePort -and $null -ne $current.ruleLocalPort -and [string]$wantRulePort -ne [string]$current.ruleLocalPort) {
    $what = "restore the local port of firewall rule $ruleName to $wantRulePort"
    if ($PSCmdlet.ShouldProcess($ruleName, $what)) { Set-NetFirewallRule -Name $ruleName -LocalPort ([string[]]@(([string]$wantRulePort) -split ',')) }
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
    after   = Get-RdpPortState $ruleName
    changes = $changes.ToArray()
}
