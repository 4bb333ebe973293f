#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts the Remote Desktop firewall rules back as Before recorded them: the Block rules
    the fix disabled are enabled again, the built-in rule gets its enabled state back, and
    psremedy's own rule is removed when it did not exist before (or disabled again).

.PARAMETER Before
    The `before` object Enable-RdpFirewallRule.ps1 returned.

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

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

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpFirewallPolicy)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewallPolicy.psm1') }

$fields = 'portNumber', 'builtIn', 'custom', 'blockRules', 'open', 'decidedBy', 'profile'
$wantBuiltIn = Get-Field $Before 'builtIn'
$wantCustom = Get-Field $Before 'custom'
$ruleName = [string](Get-Field $wantBuiltIn 'name')
$customName = [string](Get-Field $wantCustom 'name')
if (-not $ruleName -or -not $customName) { throw 'Before has no builtIn.name / custom.name: pass the before object that Enable-RdpFirewallRule.ps1 returned.' }
$port = [int](Get-Field $Before 'portNumber')
$current = Get-RdpFirewallFixState $port $ruleName $customName $ClientAddress $ServerAddress
$changes = New-Object System.Collections.Generic.List[string]

# A rule's enabled state back as recorded ($Want: { name, exists?, enabled }).
function Restore-RuleEnabled($Want, [bool] $NowEnabled, [System.Management.Automation.PSCmdlet] $Cmdlet, $Changes) {
    $name = [string](Get-Field $Want 'name')
    $wantEnabled = [bool](Get-Field $Want 'enabled')
    if ($wantEnabled -eq $NowEnabled) { return }
    $verb = 'disable'
    if ($wantEnabled) { $verb = 'enable' }
    $what = "$verb firewall rule $name again"
    if ($Cmdlet.ShouldProcess($name, $what)) {
        if ($wantEnabled) { Enable-NetFirewallRule -Name $name } else { Disable-NetFirewallRule -Name $name }
    }
    $Changes.Add($what)
}

foreach ($want in @(Get-Field $Before 'blockRules')) {
    if ($null -eq $want) { continue }
    $now = @($current.blockRules | Where-Object { $_.name -eq [string](Get-Field $want 'name') })
    if ($now.Count -eq 0) { Write-Warning "Block rule $(Get-Field $want 'name') existed before and is gone now; psremedy does not recreate it."; continue }
    Restore-RuleEnabled $want $now[0].enabled $PSCmdlet $changes
}
foreach ($pair in @(@($wantBuiltIn, $current.builtIn), @($wantCustom, $current.custom))) {
    $want = $pair[0]
    $now = $pair[1]
    $wantExists = [bool](Get-Field $want 'exists')
    if (-not $wantExists -and $now.exists) {
        $what = "remove firewall rule $($now.name), which did not exist before"
        if ($PSCmdlet.ShouldProcess($now.name, $what)) { Remove-NetFirewallRule -Name $now.name }
        $changes.Add($what)
    } elseif ($wantExists -and $now.exists) {
        Restore-RuleEnabled $want $now.enabled $PSCmdlet $changes
    } elseif ($wantExists -and -not $now.exists) {
        Write-Warning "Firewall rule $($now.name) existed before and is gone now; psremedy does not recreate it."
    }
}

$after = Get-RdpFirewallFixState $port $ruleName $customName $ClientAddress $ServerAddress
[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current | Select-Object -Property $fields
    after   = $after | Select-Object -Property $fields
    changes = $changes.ToArray()
}
