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

if (-not (Get-Module -Name RdpFirewall)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewall.psm1') }

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
