#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server that Remote Desktop is enabled, Remote Desktop Services runs, and the
    listener uses the port clients connect to.

.DESCRIPTION
    Reads fDenyTSConnections (and the Group Policy value that overrides it), the RDP-Tcp
    listener's own switches (fEnableWinStation; LanAdapter, the one adapter it may be bound to,
    through Win32_TSNetworkAdapterSetting), the TermService service, and the RDP-Tcp PortNumber.
    A policy value wins over the local one, as on Windows. The judgement is
    Get-RdpListenerProblems of lib/RdpService.psm1, which the enable_rdp fix's test uses too.

.PARAMETER Port
    The port clients connect to.

.PARAMETER ClientAddress
    The address the client connects from (to tell whether a LanAdapter binding excludes it).

.OUTPUTS
    One object: ready, rdpEnabled, listenerOn, fEnableWinStation, lanAdapter, fDenyTSConnections
    { local, policy, effective }, termService { status, startType }, portNumber, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpService)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpService.psm1') }

$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

$findings = New-Object System.Collections.Generic.List[object]

# The fix's test (Test-RdpServiceState.ps1) judges with the same Get-RdpListenerProblems.
$state = Get-RdpServiceState 'PSRemedyBackup'
$problems = @(Get-RdpListenerProblems $state $ClientAddress)
foreach ($problem in $problems) { $findings.Add((New-Finding $problem.cause $problem.confidence $problem.evidence)) }
$denyLocal = $state.fDenyTSConnections
$denyPolicy = $state.policyFDenyTSConnections
$denyEffective = Get-EffectiveDeny $state
if (@($problems | Where-Object { $_.cause -eq 'rdp-disabled' }).Count -eq 0) {
    $findings.Add((New-Finding 'rdp-disabled' 0 'Remote Desktop is enabled (effective fDenyTSConnections = 0) and the RDP-Tcp listener is on.'))
}
$termService = [ordered]@{ status = $state.termServiceStatus; startType = $state.termServiceStartType; dependents = @() }
$termService.dependents = @(Get-Service -Name TermService -DependentServices -ErrorAction SilentlyContinue | ForEach-Object { "$($_.Name)=$($_.Status)" })
if ($termService.status -eq 'Running') {
    $findings.Add((New-Finding 'termservice-stopped' 0 'Remote Desktop Services (TermService) is Running.'))
}
$listenerOn = @($problems | Where-Object { $_.confidence -ge 0.5 -and $_.evidence -match 'fEnableWinStation|LanAdapter' }).Count -eq 0

$portValue = Get-RegValue $rdpTcpKey 'PortNumber'
$portNumber = 3389
if ($null -ne $portValue) { $portNumber = [int]$portValue }
if ($portNumber -ne $Port) {
    $findings.Add((New-Finding 'wrong-port' 0.95 "The RDP listener uses port $portNumber (PortNumber under RDP-Tcp) but clients connect to $Port."))
} else {
    $findings.Add((New-Finding 'wrong-port' 0 "The RDP listener uses port $portNumber, the port clients connect to."))
}

[pscustomobject]@{
    ready              = ($denyEffective -eq 0 -and $termService.status -eq 'Running' -and $listenerOn -and $portNumber -eq $Port)
    rdpEnabled         = ($denyEffective -eq 0)
    listenerOn         = $listenerOn
    fEnableWinStation  = $state.fEnableWinStation
    lanAdapter         = $state.lanAdapter
    fDenyTSConnections = [pscustomobject]@{ local = $denyLocal; policy = $denyPolicy; effective = $denyEffective }
    termService        = [pscustomobject]$termService
    portNumber         = $portNumber
    clientPort         = $Port
    findings           = $findings.ToArray()
}
