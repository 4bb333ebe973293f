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
