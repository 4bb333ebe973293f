#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: opens the RDP port in Windows Firewall.

.DESCRIPTION
    Enables the built-in rule by Name when it exists and covers the listener's port. When it is
    missing (or covers another port), creates an inbound TCP Allow rule named CustomRuleName for
    that port, scoped to RemoteAddress. Supports -WhatIf.

.PARAMETER RemoteAddress
    Who may connect through a created rule: Any, LocalSubnet, or addresses/ranges.

.OUTPUTS
    { changed, before, after, changes } (before/after: the state of Test-RdpFirewallState.ps1).
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


$before = Get-RdpFirewallState $RuleName $CustomRuleName
$port = $before.portNumber
$changes = New-Object System.Collections.Generic.List[string]

if (-not ((Test-RuleOpensPort $before.builtIn $port) -or (Test-RuleOpensPort $before.custom $port))) {
    $builtInCovers = Test-RuleOpensPort ([pscustomobject]@{ exists = $before.builtIn.exists; enabled = $true; action = $before.builtIn.action; localPort = $before.builtIn.localPort }) $port
    if ($builtInCovers) {
        $what = "enable firewall rule $RuleName (inbound TCP $($before.builtIn.localPort))"
        if ($PSCmdlet.ShouldProcess($RuleName, $what)) { Enable-NetFirewallRule -Name $RuleName }
        $changes.Add($what)
    } elseif ($before.custom.exists) {
        $what = "enable firewall rule $CustomRuleName"
        if ($PSCmdlet.ShouldProcess($CustomRuleName, $what)) { Enable-NetFirewallRule -Name $CustomRuleName }
        $changes.Add($what)
    } else {
        $scope = $RemoteAddress -join ','
        $what = "create firewall rule ${CustomRuleName}: allow inbound TCP $port from $scope"
        if ($PSCmdlet.ShouldProcess($CustomRuleName, $what)) {
            New-NetFirewallRule -Name $CustomRuleName -DisplayName "Remote Desktop (TCP-In, port $port, added by psremedy)" `
                -Description 'Created by psremedy because the built-in Remote Desktop rule was missing or covered another port.' `
                -Direction Inbound -Protocol TCP -LocalPort ([string]$port) -RemoteAddress $RemoteAddress -Action Allow -Profile Any -Enabled True | Out-Null
        }
        $changes.Add($what)
    }
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = Get-RdpFirewallState $RuleName $CustomRuleName
    changes = $changes.ToArray()
}
