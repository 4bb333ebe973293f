#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does an enabled inbound Allow rule open the RDP listener's port, either the built-in
    rule (by Name, never by display group) or the rule psremedy creates when that one is missing?

.OUTPUTS
    { compliant, reason, state { portNumber, builtIn { name, exists, enabled, action, localPort }, custom { ... } } }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string] $CustomRuleName = 'PSRemedy-RemoteDesktop-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string[]] $RemoteAddress = @('Any')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpFirewall)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewall.psm1') }

$state = Get-RdpFirewallState $RuleName $CustomRuleName
$compliant = (Test-RuleOpensPort $state.builtIn $state.portNumber) -or (Test-RuleOpensPort $state.custom $state.portNumber)
if ($compliant) {
    $reason = "An enabled firewall rule allows inbound TCP port $($state.portNumber)."
} elseif (-not $state.builtIn.exists) {
    $reason = "Firewall rule $RuleName does not exist and $CustomRuleName does not open port $($state.portNumber)."
} elseif (-not $state.builtIn.enabled) {
    $reason = "Firewall rule $RuleName is disabled."
} else {
    $reason = "Firewall rule $RuleName allows port $($state.builtIn.localPort) ($($state.builtIn.action)), not $($state.portNumber)."
}

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
