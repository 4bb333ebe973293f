#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does the RDP listener accept TLS (SecurityLayer 1 Negotiate or 2 TLS, not 0 RDP)?

.OUTPUTS
    { compliant, reason, state { local, policy, effective } } (absent values are null).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(1, 2)]
    [int] $Desired = 2
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region state (shared by Test-RdpSecurityLayerState.ps1, Set-RdpSecurityLayer.ps1, Restore-RdpSecurityLayer.ps1: keep identical)
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpSecurityLayerState([int] $Default) {
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'SecurityLayer'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'SecurityLayer'
    $effective = $Default
    if ($null -ne $policy) { $effective = [int]$policy } elseif ($null -ne $local) { $effective = [int]$local }
    [pscustomobject]@{ local = $local; policy = $policy; effective = $effective }
}
#endregion

$state = Get-RdpSecurityLayerState 1
$compliant = ($state.effective -ne 0)
$reason = "SecurityLayer is $($state.effective) (0 RDP, 1 Negotiate, 2 TLS); the listener $(if ($state.effective -ne 0) { 'accepts' } else { 'refuses' }) TLS."

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
