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

#region state (shared by Test-RdpFirewallState.ps1, Enable-RdpFirewallRule.ps1, Restore-RdpFirewallRule.ps1: keep identical)
function Get-RuleView([string] $Name) {
    $rule = Get-NetFirewallRule -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $rule) { return [pscustomobject]@{ name = $Name; exists = $false; enabled = $false; action = $null; localPort = $null } }
    [pscustomobject]@{
        name      = $Name
        exists    = $true
        enabled   = ([string]$rule.Enabled -eq 'True')
        action    = [string]$rule.Action
        localPort = (@(($rule | Get-NetFirewallPortFilter).LocalPort) -join ',')
    }
}

function Get-RdpFirewallState([string] $RuleName, [string] $CustomRuleName) {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name PortNumber -ErrorAction SilentlyContinue
    $portNumber = 3389
    if ($null -ne $item) { $portNumber = [int]$item.PortNumber }
    [pscustomobject]@{
        portNumber = $portNumber
        builtIn    = Get-RuleView $RuleName
        custom     = Get-RuleView $CustomRuleName
    }
}

function Test-RuleOpensPort($Rule, [int] $Port) {
    if (-not $Rule.exists -or -not $Rule.enabled -or $Rule.action -ne 'Allow') { return $false }
    foreach ($part in ([string]$Rule.localPort -split ',')) {
        $text = $part.Trim()
        if ($text -eq 'Any' -or $text -eq [string]$Port) { return $true }
        if ($text -match '^(\d+)-(\d+)$' -and $Port -ge [int]$Matches[1] -and $Port -le [int]$Matches[2]) { return $true }
    }
    return $false
}
#endregion

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
