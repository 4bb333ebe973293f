#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the RDP listener port and the firewall rule that must open it.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpPortNumber.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The port the RDP-Tcp listener is set to, the built-in rule's ports and the TermService status.
function Get-RdpPortState([string] $RuleName) {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name PortNumber -ErrorAction SilentlyContinue
    $portNumber = $null
    if ($null -ne $item) { $portNumber = [int]$item.PortNumber }
    $ruleLocalPort = $null
    $rule = Get-NetFirewallRule -Name $RuleName -ErrorAction SilentlyContinue
    if ($null -ne $rule) { $ruleLocalPort = (@(($rule | Get-NetFirewallPortFilter).LocalPort) -join ',') }
    [pscustomobject]@{
        portNumber        = $portNumber
        ruleName          = $RuleName
        ruleLocalPort     = $ruleLocalPort
        termServiceStatus = [string](Get-Service -Name TermService).Status
    }
}

# The port the listener uses: PortNumber, else 3389.
function Get-EffectivePort($State) {
    if ($null -eq $State.portNumber) { return 3389 }
    return [int]$State.portNumber
}
