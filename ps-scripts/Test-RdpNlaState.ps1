#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is Network Level Authentication (UserAuthentication) set as wanted (Desired: 0 off,
    1 required)?

.OUTPUTS
    { compliant, reason, state { local, policy, effective } } (absent values are null).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet(0, 1)]
    [int] $Desired = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region state (shared by Test-RdpNlaState.ps1, Set-RdpNla.ps1, Restore-RdpNla.ps1: keep identical)
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpNlaState([int] $Default) {
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' 'UserAuthentication'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'UserAuthentication'
    $effective = $Default
    if ($null -ne $policy) { $effective = [int]$policy } elseif ($null -ne $local) { $effective = [int]$local }
    [pscustomobject]@{ local = $local; policy = $policy; effective = $effective }
}
#endregion

$state = Get-RdpNlaState 0
$compliant = ($state.effective -eq $Desired)
$reason = "Network Level Authentication is $(if ($state.effective -eq 1) { 'required' } else { 'not required' }) (UserAuthentication = $($state.effective)); wanted: $Desired."

[pscustomobject]@{ compliant = $compliant; reason = $reason; state = $state }
