#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the RDP listener port and the firewall rule that must open it.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpPortNumber.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The local ports of a firewall rule as a comma list, or $null when there is no such rule.
function Get-RuleLocalPort([string] $Name) {
    $rule = Get-NetFirewallRule -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $rule) { return $null }
    return (@(($rule | Get-NetFirewallPortFilter).LocalPort) -join ',')
}

# The port the RDP-Tcp listener is set to, the built-in TCP and UDP rules' ports and the TermService status.
function Get-RdpPortState([string] $RuleName, [string] $UdpRuleName = 'RemoteDesktop-UserMode-In-UDP') {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name PortNumber -ErrorAction SilentlyContinue
    $portNumber = $null
    if ($null -ne $item) { $portNumber = [int]$item.PortNumber }
    [pscustomobject]@{
        portNumber        = $portNumber
        ruleName          = $RuleName
        ruleLocalPort     = Get-RuleLocalPort $RuleName
        udpRuleName       = $UdpRuleName
        udpRuleLocalPort  = Get-RuleLocalPort $UdpRuleName
        termServiceStatus = [string](Get-Service -Name TermService).Status
    }
}

# The port the listener uses: PortNumber, else 3389.
function Get-EffectivePort($State) {
    if ($null -eq $State.portNumber) { return 3389 }
    return [int]$State.portNumber
}
