#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does Windows Firewall admit RDP on the port clients use? The same judgement as the
    firewall diagnosis (Get-RdpFirewallVerdict): effective policy, the arrival interface's profile,
    Block over Allow, rule scopes.

.DESCRIPTION
    Not compliant with cannotFix set when no local change can help: a Group Policy Block rule
    matches, or Group Policy does not apply local rules on the profile (AllowLocalFirewallRules).

.OUTPUTS
    { compliant, reason, cannotFix, state { portNumber, builtIn, custom, blockRules, open, decidedBy, profile } }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(0, 65535)]
    [int] $Port = 0,

    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string] $CustomRuleName = 'PSRemedy-RemoteDesktop-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string[]] $RemoteAddress = @('Any'),

    [AllowEmptyString()]
    [string] $ClientAddress = '',

    [AllowEmptyString()]
    [string] $ServerAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpFirewallPolicy)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewallPolicy.psm1') }

$full = Get-RdpFirewallFixState $Port $RuleName $CustomRuleName $ClientAddress $ServerAddress
$cannotFix = Get-RdpFirewallPolicyBlock $full.verdict
$v = $full.verdict.verdict
if ($full.open) {
    $reason = "Windows Firewall admits inbound TCP $($full.portNumber) on the $($v.profile) profile ($($v.decidedBy))."
} elseif ($v.decidedBy -eq 'block-rule') {
    $reason = "Inbound TCP $($full.portNumber) is blocked on the $($v.profile) profile by Block rule $($v.rule)."
} else {
    $reason = "No rule in force allows inbound TCP $($full.portNumber) on the $($v.profile) profile."
}
$state = $full | Select-Object -Property portNumber, builtIn, custom, blockRules, open, decidedBy, profile
[pscustomobject]@{ compliant = $full.open; reason = $reason; cannotFix = $cannotFix; state = $state }
