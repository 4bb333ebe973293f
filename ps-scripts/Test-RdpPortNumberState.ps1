#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does the RDP listener use the port clients connect to (PortNumber), and does the
    built-in firewall rule allow that port?

.OUTPUTS
    { compliant, reason, state { portNumber, ruleName, ruleLocalPort, termServiceStatus } }.
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

#region state (shared by Test-RdpPortNumberState.ps1, Reset-RdpPortNumber.ps1, Restore-RdpPortNumber.ps1: keep identical)
function Get-RdpPortState([string] $RuleName) {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name PortNumber -ErrorAction SilentlyContinue
    $portNumber = $null
    if ($null -ne $item) { $portNumber = [int]$item.PortNumber }
    $ruleLocalPort = $null
    $rule = Get-NetFirewallRule -Name $RuleName -ErrorAction SilentlyContinue
    if ($null -ne $rule) { $ruleLocalPort = (@(($rule | Get-NetFirewallPortFilter).LocalPort) -join ',') }
    [pscustomobject]@{
        portNumber        = $portNumber
        ruleName          = $RuleName
        ruleLocalPort     = $ruleLocalPort
        termServiceStatus = [string](Get-Service -Name TermService).Status
    }
}

function Get-EffectivePort($State) {
    if ($null -eq $State.portNumber) { return 3389 }
    return [int]$State.portNumber
}
#endregion

$state = Get-RdpPortState $RuleName
$problems = New-Object System.Collections.Generic.List[string]
if ((Get-EffectivePort $state) -ne $Port) { $problems.Add("the RDP listener uses port $(Get-EffectivePort $state), clients connect to $Port") }
if ($null -ne $state.ruleLocalPort -and $state.ruleLocalPort -ne 'Any' -and (@($state.ruleLocalPort -split ',') -notcontains [string]$Port)) {
    $problems.Add("firewall rule $RuleName allows port $($state.ruleLocalPort), not $Port")
}
$reason = "The RDP listener and firewall rule $RuleName use port $Port."
if ($problems.Count -gt 0) { $reason = ($problems -join '; ') + '.' }

[pscustomobject]@{ compliant = ($problems.Count -eq 0); reason = $reason; state = $state }
