#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the inbound Remote Desktop firewall rules and judges whether they admit the listener's
    port: shared by the firewall diagnosis and the firewall fix scripts.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpFirewall.psm1; see lib/README.md.
    Rules are found by Name, never by their localized display group.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# One rule as the firewall fix records it (exists = $false when there is no rule of that name).
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

# The listener's port and the two rules that can open it: the built-in one and psremedy's own.
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

# Whether a recorded rule is an enabled Allow rule whose local ports include the port.
function Test-RuleOpensPort($Rule, [int] $Port) {
    if (-not $Rule.exists -or -not $Rule.enabled -or $Rule.action -ne 'Allow') { return $false }
    foreach ($part in ([string]$Rule.localPort -split ',')) {
        $text = $part.Trim()
        if ($text -eq 'Any' -or $text -eq [string]$Port) { return $true }
        if ($text -match '^(\d+)-(\d+)$' -and $Port -ge [int]$Matches[1] -and $Port -le [int]$Matches[2]) { return $true }
    }
    return $false
}

# Whether a comma list of local ports (as Get-NetFirewallPortFilter gives them) includes the port.
function Test-PortCovered([object[]] $LocalPort, [int] $Port) {
    foreach ($entry in $LocalPort) {
        foreach ($part in ([string]$entry -split ',')) {
            $text = $part.Trim()
            if ($text -eq 'Any') { return $true }
            if ($text -match '^(\d+)-(\d+)$') {
                if ($Port -ge [int]$Matches[1] -and $Port -le [int]$Matches[2]) { return $true }
            } elseif ($text -match '^\d+$' -and [int]$text -eq $Port) {
                return $true
            }
        }
    }
    return $false
}

# Whether a rule's profiles include the active one (every profile counts when none is known).
function Test-ProfileCovered([string] $RuleProfile, [string] $Active) {
    if (-not $Active -or $RuleProfile -match 'Any') { return $true }
    return ($RuleProfile -split ',\s*') -contains $Active
}
