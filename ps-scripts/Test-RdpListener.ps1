#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server that Remote Desktop is enabled, Remote Desktop Services runs, and the
    listener uses the port clients connect to.

.DESCRIPTION
    Reads fDenyTSConnections (and the Group Policy value that overrides it), the TermService
    service, and the RDP-Tcp PortNumber. A policy value wins over the local one, as on Windows.

.PARAMETER Port
    The port clients connect to.

.OUTPUTS
    One object: ready (all three fine), rdpEnabled, fDenyTSConnections { local, policy, effective }, termService
    { status, startType }, portNumber, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(1, 65535)]
    [int] $Port = 3389
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpRegistry.psm1') }

$tsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

$findings = New-Object System.Collections.Generic.List[object]

$denyLocal = Get-RegValue $tsKey 'fDenyTSConnections'
$denyPolicy = Get-RegValue $policyKey 'fDenyTSConnections'
$denyEffective = 1
if ($null -ne $denyPolicy) { $denyEffective = [int]$denyPolicy } elseif ($null -ne $denyLocal) { $denyEffective = [int]$denyLocal }
if ($denyEffective -ne 0) {
    if ($null -ne $denyPolicy) {
        $findings.Add((New-Finding 'rdp-disabled' 0.95 "Remote Desktop is disabled by Group Policy: fDenyTSConnections = $denyPolicy under $policyKey (it overrides the local value $denyLocal)."))
    } elseif ($null -ne $denyLocal) {
        $findings.Add((New-Finding 'rdp-disabled' 0.95 "Remote Desktop is disabled: fDenyTSConnections = $denyLocal under $tsKey."))
    } else {
        $findings.Add((New-Finding 'rdp-disabled' 0.9 "Remote Desktop is disabled: fDenyTSConnections is not set under $tsKey (the default denies connections)."))
    }
} else {
    $findings.Add((New-Finding 'rdp-disabled' 0 "Remote Desktop is enabled (effective fDenyTSConnections = 0)."))
}

$termService = [ordered]@{ status = 'Missing'; startType = $null; dependents = @() }
$service = Get-Service -Name TermService -ErrorAction SilentlyContinue
if ($null -eq $service) {
    $findings.Add((New-Finding 'termservice-stopped' 0.9 'The Remote Desktop Services service (TermService) does not exist on this server.'))
} else {
    $termService.status = [string]$service.Status
    $termService.startType = [string]$service.StartType
    $termService.dependents = @(Get-Service -Name TermService -DependentServices -ErrorAction SilentlyContinue | ForEach-Object { "$($_.Name)=$($_.Status)" })
    if ($termService.status -ne 'Running') {
        $findings.Add((New-Finding 'termservice-stopped' 0.95 "Remote Desktop Services (TermService) is $($termService.status); its start type is $($termService.startType)."))
    } else {
        $findings.Add((New-Finding 'termservice-stopped' 0 'Remote Desktop Services (TermService) is Running.'))
    }
}

$portValue = Get-RegValue $rdpTcpKey 'PortNumber'
$portNumber = 3389
if ($null -ne $portValue) { $portNumber = [int]$portValue }
if ($portNumber -ne $Port) {
    $findings.Add((New-Finding 'wrong-port' 0.95 "The RDP listener uses port $portNumber (PortNumber under RDP-Tcp) but clients connect to $Port."))
} else {
    $findings.Add((New-Finding 'wrong-port' 0 "The RDP listener uses port $portNumber, the port clients connect to."))
}

[pscustomobject]@{
    ready              = ($denyEffective -eq 0 -and $termService.status -eq 'Running' -and $portNumber -eq $Port)
    rdpEnabled         = ($denyEffective -eq 0)
    fDenyTSConnections = [pscustomobject]@{ local = $denyLocal; policy = $denyPolicy; effective = $denyEffective }
    termService        = [pscustomobject]$termService
    portNumber         = $portNumber
    clientPort         = $Port
    findings           = $findings.ToArray()
}
