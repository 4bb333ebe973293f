#Requires -Version 5.1
<#
.SYNOPSIS
    Reads whether Remote Desktop is allowed and TermService runs, the state the service fix
    records. Starting TermService replaces an expired self-signed RDP certificate, so the state
    carries the certificates of 'Remote Desktop' and of the store the fix keeps replaced ones in.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpService.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpRegistry.psm1') }
if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpCertificate.psm1') }
if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpNetAdapter.psm1') }

# fDenyTSConnections (local and policy), TermService status and start type, and the certificate stores.
function Get-RdpServiceState([string] $BackupStore) {
    $service = Get-Service -Name TermService
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' 'fDenyTSConnections'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'fDenyTSConnections'
    [pscustomobject]@{
        fDenyTSConnections       = $local
        policyFDenyTSConnections = $policy
        fEnableWinStation        = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'fEnableWinStation'
        lanAdapter               = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'LanAdapter'
        termServiceStatus        = [string]$service.Status
        termServiceStartType     = [string]$service.StartType
        remoteDesktop            = [string[]]@(Get-StoreCertificate 'Remote Desktop' | ForEach-Object { [string]$_.Thumbprint } | Sort-Object)
        backupStoreExists        = (Test-Path -LiteralPath "Cert:\LocalMachine\$BackupStore")
        backup                   = [string[]]@(Get-StoreCertificate $BackupStore | ForEach-Object { [string]$_.Thumbprint } | Sort-Object)
    }
}

# Whether Remote Desktop connections are denied: the policy value, else the local one, else denied.
function Get-EffectiveDeny($State) {
    if ($null -ne $State.policyFDenyTSConnections) { return [int]$State.policyFDenyTSConnections }
    if ($null -ne $State.fDenyTSConnections) { return [int]$State.fDenyTSConnections }
    return 1
}

# The adapter the RDP-Tcp listener is bound to (LanAdapter, a LANA number; 0 = all adapters), from
# Win32_TSNetworkAdapterSetting (NetworkAdapterLanaID, NetworkAdapterName).
function Get-ListenerBinding($State) {
    $lana = 0
    if ($null -ne $State.lanAdapter) { $lana = [int]$State.lanAdapter }
    if ($lana -eq 0) { return [pscustomobject]@{ lana = 0; adapter = $null; ifIndex = -1 } }
    $setting = @(Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName Win32_TSNetworkAdapterSetting -Filter "TerminalName='RDP-Tcp'" -ErrorAction SilentlyContinue) | Select-Object -First 1
    $name = $null
    $index = -1
    if ($null -ne $setting -and $setting.NetworkAdapterName) {
        $name = [string]$setting.NetworkAdapterName
        $adapter = @(Get-NetAdapter -InterfaceDescription $name -ErrorAction SilentlyContinue) | Select-Object -First 1
        if ($null -ne $adapter) { $index = [int]$adapter.ifIndex; $name = "$($adapter.Name) ($name)" }
    }
    [pscustomobject]@{ lana = $lana; adapter = $name; ifIndex = $index }
}

<#
  What keeps the RDP listener from accepting this client, as findings (cause, confidence,
  evidence): Remote Desktop denied (fDenyTSConnections, policy over local), TermService not
  running, the RDP-Tcp listener switched off (fEnableWinStation = 0) or bound to an adapter the
  client's traffic does not arrive on (LanAdapter). The listener diagnosis and the fix's test
  (Test-RdpServiceState.ps1) both judge with this.
#>
function Get-RdpListenerProblems($State, [string] $ClientAddress) {
    $problems = New-Object System.Collections.Generic.List[object]
    $policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
    if ((Get-EffectiveDeny $State) -ne 0) {
        if ($null -ne $State.policyFDenyTSConnections) {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.95; evidence = "Remote Desktop is disabled by Group Policy: fDenyTSConnections = $($State.policyFDenyTSConnections) under $policyKey (it overrides the local value $($State.fDenyTSConnections))." })
        } elseif ($null -ne $State.fDenyTSConnections) {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.95; evidence = "Remote Desktop is disabled: fDenyTSConnections = $($State.fDenyTSConnections) under HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server." })
        } else {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.9; evidence = 'Remote Desktop is disabled: fDenyTSConnections is not set (the default denies connections).' })
        }
    }
    if ($State.termServiceStatus -ne 'Running') {
        $problems.Add([pscustomobject]@{ cause = 'termservice-stopped'; confidence = 0.95; evidence = "Remote Desktop Services (TermService) is $($State.termServiceStatus); its start type is $($State.termServiceStartType)." })
    }
    if ($null -ne $State.fEnableWinStation -and [int]$State.fEnableWinStation -eq 0) {
        $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.9; evidence = 'The RDP-Tcp listener is switched off (fEnableWinStation = 0 under WinStations\RDP-Tcp): nothing listens for RDP.' })
    }
    $binding = Get-ListenerBinding $State
    if ($binding.lana -ne 0) {
        $clientRoute = Get-ClientRouteIndex $ClientAddress
        if ($binding.ifIndex -lt 0) {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.85; evidence = "The RDP-Tcp listener is bound to LANA $($binding.lana) (LanAdapter), which names no present adapter: it listens nowhere." })
        } elseif ($clientRoute -ge 0 -and $clientRoute -ne $binding.ifIndex) {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.85; evidence = "The RDP-Tcp listener listens only on $($binding.adapter) (LanAdapter = $($binding.lana)), but the client's traffic arrives on another adapter." })
        } elseif ($clientRoute -lt 0) {
            $problems.Add([pscustomobject]@{ cause = 'rdp-disabled'; confidence = 0.4; evidence = "The RDP-Tcp listener listens only on $($binding.adapter) (LanAdapter = $($binding.lana)); whether the client arrives there is unknown." })
        }
    }
    return $problems.ToArray()
}
