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

function Get-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Set-RegDword([string] $Path, [string] $Name, $Value) {
    # $null removes the value, so a value that was absent before is absent again.
    $exists = $null -ne (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    if ($null -eq $Value) {
        if ($exists) { Remove-ItemProperty -LiteralPath $Path -Name $Name }
    } elseif ($exists) {
        Set-ItemProperty -LiteralPath $Path -Name $Name -Value ([int]$Value)
    } else {
        New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType DWord -Value ([int]$Value) | Out-Null
    }
}

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
