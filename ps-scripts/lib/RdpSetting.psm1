#Requires -Version 5.1
<#
.SYNOPSIS
    The effective value of an RDP-Tcp listener setting (SecurityLayer, UserAuthentication,
    MinEncryptionLevel): the Group Policy value, else the RDP-Tcp value, else Windows' default.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpSetting.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpRegistry)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpRegistry.psm1') }

# A setting's RDP-Tcp and policy values, the value that applies, and where it comes from.
function Get-RdpSetting([string] $Name, [int] $Default) {
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' $Name
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' $Name
    $effective = $Default
    $source = 'default'
    if ($null -ne $policy) { $effective = [int]$policy; $source = 'policy' } elseif ($null -ne $local) { $effective = [int]$local; $source = 'local' }
    [pscustomobject]@{ local = $local; policy = $policy; effective = $effective; source = $source }
}

# A setting as its fix records it: { local, policy, effective }.
function Get-RdpSettingState([string] $Name, [int] $Default) {
    Get-RdpSetting $Name $Default | Select-Object -Property local, policy, effective
}
