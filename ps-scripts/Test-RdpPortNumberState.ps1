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

if (-not (Get-Module -Name RdpPortNumber)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpPortNumber.psm1') }

$state = Get-RdpPortState $RuleName
$problems = New-Object System.Collections.Generic.List[string]
if ((Get-EffectivePort $state) -ne $Port) { $problems.Add("the RDP listener uses port $(Get-EffectivePort $state), clients connect to $Port") }
if ($null -ne $state.ruleLocalPort -and $state.ruleLocalPort -ne 'Any' -and (@($state.ruleLocalPort -split ',') -notcontains [string]$Port)) {
    $problems.Add("firewall rule $RuleName allows port $($state.ruleLocalPort), not $Port")
}
$reason = "The RDP listener and firewall rule $RuleName use port $Port."
if ($problems.Count -gt 0) { $reason = ($problems -join '; ') + '.' }

[pscustomobject]@{ compliant = ($problems.Count -eq 0); reason = $reason; state = $state }
