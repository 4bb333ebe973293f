#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: undoes exactly what Enable-RdpFirewallRule.ps1 did: disables the built-in rule if
    it was disabled before, removes the rule it created.

.DESCRIPTION
    Supports -WhatIf.

.PARAMETER Before
    The before object Enable-RdpFirewallRule.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string] $CustomRuleName = 'PSRemedy-RemoteDesktop-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string[]] $RemoteAddress = @('Any')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpFirewall)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewall.psm1') }

$wantBuiltIn = Get-Field $Before 'builtIn'
$wantCustom = Get-Field $Before 'custom'
$ruleName = [string](Get-Field $wantBuiltIn 'name')
$customName = [string](Get-Field $wantCustom 'name')
if (-not $ruleName -or -not $customName) { throw 'Before has no builtIn.name / custom.name: pass the before object that Enable-RdpFirewallRule.ps1 returned.' }
$current = Get-RdpFirewallState $ruleName $customName
$changes = New-Object System.Collections.Generic.List[string]

foreach ($pair in @(@($wantBuiltIn, $current.builtIn), @($wantCustom, $current.custom))) {
    $want = $pair[0]
    $now = $pair[1]
    $wantExists = [bool](Get-Field $want 'exists')
    $wantEnabled = [bool](Get-Field $want 'enabled')
    if (-not $wantExists -and $now.exists) {
        $what = "remove firewall rule $($now.name), which did not exist before"
        if ($PSCmdlet.ShouldProcess($now.name, $what)) { Remove-NetFirewallRule -Name $now.name }
        $changes.Add($what)
    } elseif ($wantExists -and $now.exists -and $wantEnabled -ne $now.enabled) {
        if ($wantEnabled) {
            $what = "enable firewall rule $($now.name) again"
            if ($PSCmdlet.ShouldProcess($now.name, $what)) { Enable-NetFirewallRule -Name $now.name }
        } else {
            $what = "disable firewall rule $($now.name) again"
            if ($PSCmdlet.ShouldProcess($now.name, $what)) { Disable-NetFirewallRule -Name $now.name }
        }
        $changes.Add($what)
    } elseif ($wantExists -and -not $now.exists) {
        Write-Warning "Firewall rule $($now.name) existed before and is gone now; psremedy does not recreate it."
    }
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpFirewallState $ruleName $customName
    changes = $changes.ToArray()
}
