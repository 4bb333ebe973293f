#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server whether Windows Firewall lets RDP in on the port clients use.

.DESCRIPTION
    Judges the effective policy (ActiveStore: Group Policy rules and settings included) for the
    profile of the interface the client's traffic arrives on, with every rule condition Windows
    applies (addresses, interface, authentication) and Windows' precedence (Block over Allow).
    The judgement is Get-RdpFirewallVerdict of lib/RdpFirewallPolicy.psm1, the same one the
    firewall fix's test uses.

.PARAMETER Port
    The port clients connect to (0: the listener's PortNumber). When the listener uses another
    port, that is the wrong-port cause; the firewall is judged for the port clients use.

.PARAMETER ClientAddress
    The address the client connects from ('' = unknown: rules scoped by RemoteAddress cannot be
    judged and every active profile must admit).

.PARAMETER ServerAddress
    The server address the client connects to (optional; finds the arrival interface without a route).

.OUTPUTS
    One object: open, portNumber (judged), listenerPort, clientAddress, arrival { alias, profile, activeProfiles },
    decidedBy, rule, policyBlock, blockRules, allowRules, scopedOut, ignoredLocalRules, profiles, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(0, 65535)]
    [int] $Port = 0,

    [AllowEmptyString()]
    [string] $ClientAddress = '',

    [AllowEmptyString()]
    [string] $ServerAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpFirewallPolicy)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewallPolicy.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }

$portValue = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'PortNumber'
$listenerPort = 3389
if ($null -ne $portValue) { $listenerPort = [int]$portValue }
$portNumber = $listenerPort
if ($Port -gt 0) { $portNumber = $Port }

$result = Get-RdpFirewallVerdict $portNumber $ClientAddress $ServerAddress
$v = $result.verdict
$names = { param($rules) (@($rules | ForEach-Object { if ($_.fromPolicy) { "$($_.name) (Group Policy $($_.source))" } else { $_.name } }) -join ', ') }
$where = "the $($v.profile) profile"
if ($v.interface) { $where = "the $($v.profile) profile of interface $($v.interface), where the client's traffic arrives" }
$policyBlock = Get-RdpFirewallPolicyBlock $result

$findings = New-Object System.Collections.Generic.List[object]
switch ($v.decidedBy) {
    'profile-off' { $findings.Add((New-Finding 'firewall-closed' 0 "Windows Firewall is off for $where, so it does not block TCP $portNumber.")) }
    'allow-rule' { $findings.Add((New-Finding 'firewall-closed' 0 ("Inbound TCP $portNumber is allowed on $where by {0}." -f (& $names $v.allowRules)))) }
    'default-allow' { $findings.Add((New-Finding 'firewall-closed' 0 "The default inbound action of $where is Allow and no Block rule covers TCP $portNumber.")) }
    'block-rule' {
        $evidence = "Inbound TCP $portNumber is blocked on $where by the enabled Block rule(s) {0}; Windows Firewall lets Block rules win over Allow rules" -f (& $names $v.blockRules)
        if ($v.allowRules.Count -gt 0) { $evidence += " ({0} would allow it)" -f (& $names $v.allowRules) }
        $findings.Add((New-Finding 'firewall-closed' 0.95 ($evidence + '.')))
    }
    default {
        $parts = New-Object System.Collections.Generic.List[string]
        $parts.Add("No enabled inbound Allow rule in force admits TCP $portNumber on $where, and its default inbound action blocks")
        if ($v.ignoredLocalRules.Count -gt 0) { $parts.Add(("Group Policy ignores local rules on this profile (AllowLocalFirewallRules = False), so {0} do not count" -f (& $names $v.ignoredLocalRules))) }
        foreach ($rule in $v.scopedOut) { $parts.Add("$($rule.name) does not apply: $($rule.why)") }
        if ($v.unjudged.Count -gt 0) { $parts.Add(("{0} are scoped by RemoteAddress, which cannot be judged without the client's address" -f (& $names $v.unjudged))) }
        $confidence = 0.95
        if ($v.unjudged.Count -gt 0) { $confidence = 0.6 }
        $findings.Add((New-Finding 'firewall-closed' $confidence (($parts -join '; ') + '.')))
    }
}

[pscustomobject]@{
    open              = $result.open
    portNumber        = $portNumber
    listenerPort      = $listenerPort
    clientAddress     = $ClientAddress
    arrival           = $result.arrival
    decidedBy         = $v.decidedBy
    rule              = $v.rule
    policyBlock       = $policyBlock
    blockRules        = @($v.blockRules)
    allowRules        = @($v.allowRules)
    scopedOut         = @($v.scopedOut)
    ignoredLocalRules = @($v.ignoredLocalRules)
    profiles          = @($result.profiles | ForEach-Object { [pscustomobject]@{ name = $_.profile; firewallOn = $_.firewallOn; open = $_.open; decidedBy = $_.decidedBy } })
    findings          = $findings.ToArray()
}
