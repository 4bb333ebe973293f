#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server whether Windows Firewall lets RDP in on the listener's port.

.DESCRIPTION
    Looks up the built-in rule by its locale-independent Name (RemoteDesktop-UserMode-In-TCP),
    never by display group, then every enabled inbound rule whose port filter covers the RDP
    port (Allow rules open it, Block rules win), and whether the firewall profile is on.

.PARAMETER RuleName
    Name of the built-in RDP rule.

.PARAMETER Port
    The port clients connect to (0: the listener's PortNumber). When the listener uses another
    port, that is the wrong-port cause; the firewall is judged for the port clients use.

.OUTPUTS
    One object: open, portNumber (judged), listenerPort, builtInRule { exists, enabled, action, profile, localPort },
    allowRules, blockRules, profiles, activeProfile, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP',

    [ValidateRange(0, 65535)]
    [int] $Port = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpFirewall)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewall.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }

$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

$portValue = Get-RegValue $rdpTcpKey 'PortNumber'
$listenerPort = 3389
if ($null -ne $portValue) { $listenerPort = [int]$portValue }
$portNumber = $listenerPort
if ($Port -gt 0) { $portNumber = $Port }

$profiles = @(Get-NetFirewallProfile | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; enabled = ([string]$_.Enabled -eq 'True') } })
$activeProfile = $null
if (Get-Command -Name Get-NetConnectionProfile -ErrorAction SilentlyContinue) {
    $category = @(Get-NetConnectionProfile -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.NetworkCategory }) | Select-Object -First 1
    if ($category -eq 'DomainAuthenticated') { $activeProfile = 'Domain' } elseif ($category) { $activeProfile = $category }
}
$relevantProfiles = @($profiles | Where-Object { -not $activeProfile -or $_.name -eq $activeProfile })
$firewallOn = @($relevantProfiles | Where-Object { $_.enabled }).Count -gt 0

$filters = @{}
foreach ($filter in @(Get-NetFirewallPortFilter)) {
    $filters[[string]$filter.InstanceID] = $filter
}
# A rule limited to another program or service (the shadowing rule: RdpSa.exe, any port) does not admit RDP.
$programs = $null
if ((Get-Command -Name Get-NetFirewallApplicationFilter -ErrorAction SilentlyContinue) -and (Get-Command -Name Get-NetFirewallServiceFilter -ErrorAction SilentlyContinue)) {
    $programs = @{}
    foreach ($app in @(Get-NetFirewallApplicationFilter)) { $programs[[string]$app.InstanceID] = @{ program = [string]$app.Program; service = '' } }
    foreach ($svc in @(Get-NetFirewallServiceFilter)) {
        $id = [string]$svc.InstanceID
        if (-not $programs.ContainsKey($id)) { $programs[$id] = @{ program = 'Any'; service = '' } }
        $programs[$id].service = [string]$svc.Service
    }
}

function Test-AppliesToTermService([string] $Name, [object[]] $LocalPort) {
    if ($null -eq $programs) {
        # Without the application filter cmdlets, only rules naming the port explicitly count.
        return -not (@($LocalPort | Where-Object { [string]$_ -eq 'Any' }).Count -gt 0)
    }
    $entry = $programs[$Name]
    if ($null -eq $entry) { return $true }
    $programOk = @('Any', '', '*') -contains $entry.program -or $entry.program -match '^(%SystemRoot%|C:\\Windows)\\system32\\svchost\.exe$'
    $serviceOk = @('Any', '', '*') -contains $entry.service -or $entry.service -eq 'TermService'
    return ($programOk -and $serviceOk)
}

$builtIn = [ordered]@{ name = $RuleName; exists = $false; enabled = $false; action = $null; direction = $null; profile = $null; protocol = $null; localPort = $null; coversPort = $false }
$rule = Get-NetFirewallRule -Name $RuleName -ErrorAction SilentlyContinue
if ($null -ne $rule) {
    $builtIn.exists = $true
    $builtIn.enabled = ([string]$rule.Enabled -eq 'True')
    $builtIn.action = [string]$rule.Action
    $builtIn.direction = [string]$rule.Direction
    $builtIn.profile = [string]$rule.Profile
    $filter = $filters[$RuleName]
    if ($null -ne $filter) {
        $builtIn.protocol = [string]$filter.Protocol
        $builtIn.localPort = (@($filter.LocalPort) -join ',')
        $builtIn.coversPort = Test-PortCovered @($filter.LocalPort) $portNumber
    }
}

$allowRules = New-Object System.Collections.Generic.List[string]
$blockRules = New-Object System.Collections.Generic.List[string]
foreach ($candidate in @(Get-NetFirewallRule -Direction Inbound -Enabled True -ErrorAction SilentlyContinue)) {
    $filter = $filters[[string]$candidate.Name]
    if ($null -eq $filter) { continue }
    if (@('TCP', 'Any') -notcontains [string]$filter.Protocol) { continue }
    if (-not (Test-PortCovered @($filter.LocalPort) $portNumber)) { continue }
    if (-not (Test-AppliesToTermService ([string]$candidate.Name) @($filter.LocalPort))) { continue }
    if (-not (Test-ProfileCovered ([string]$candidate.Profile) $activeProfile)) { continue }
    if ([string]$candidate.Action -eq 'Block') { $blockRules.Add([string]$candidate.Name) } elseif ([string]$candidate.Action -eq 'Allow') { $allowRules.Add([string]$candidate.Name) }
}

$open = (-not $firewallOn) -or ($allowRules.Count -gt 0 -and $blockRules.Count -eq 0)
$findings = New-Object System.Collections.Generic.List[object]
$profileText = 'the active profile'
if ($activeProfile) { $profileText = "the $activeProfile profile" }
if (-not $firewallOn) {
    $findings.Add((New-Finding 'firewall-closed' 0 "Windows Firewall is off for $profileText, so it does not block port $portNumber."))
} elseif ($blockRules.Count -gt 0) {
    $findings.Add((New-Finding 'firewall-closed' 0.9 ("Inbound TCP port $portNumber is blocked by the enabled Block rule(s) {0}." -f ($blockRules -join ', '))))
} elseif ($open) {
    $findings.Add((New-Finding 'firewall-closed' 0 ("Inbound TCP port $portNumber is allowed by {0}." -f ($allowRules -join ', '))))
} elseif (-not $builtIn.exists) {
    $findings.Add((New-Finding 'firewall-closed' 0.95 "The firewall rule $RuleName does not exist and no other enabled inbound rule allows TCP port $portNumber."))
} elseif (-not $builtIn.enabled) {
    $findings.Add((New-Finding 'firewall-closed' 0.95 "The firewall rule $RuleName ($($rule.DisplayName)) is disabled and no other enabled inbound rule allows TCP port $portNumber."))
} elseif (-not $builtIn.coversPort) {
    $findings.Add((New-Finding 'firewall-closed' 0.8 "The firewall rule $RuleName allows TCP port $($builtIn.localPort), but the RDP listener uses port $portNumber."))
} else {
    $findings.Add((New-Finding 'firewall-closed' 0.7 "No enabled inbound Allow rule covers TCP port $portNumber on $profileText ($RuleName has profile $($builtIn.profile), action $($builtIn.action))."))
}

[pscustomobject]@{
    open          = $open
    portNumber    = $portNumber
    listenerPort  = $listenerPort
    builtInRule   = [pscustomobject]$builtIn
    allowRules    = $allowRules.ToArray()
    blockRules    = $blockRules.ToArray()
    profiles      = $profiles
    activeProfile = $activeProfile
    findings      = $findings.ToArray()
}
