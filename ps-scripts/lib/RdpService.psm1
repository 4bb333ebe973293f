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

# fDenyTSConnections (local and policy), TermService status and start type, and the certificate stores.
function Get-RdpServiceState([string] $BackupStore) {
    $service = Get-Service -Name TermService
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' 'fDenyTSConnections'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'fDenyTSConnections'
    [pscustomobject]@{
        fDenyTSConnections       = $local
        policyFDenyTSConnections = $policy
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
