#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts back the Remote Desktop and TermService state that Enable-RdpService.ps1
    recorded as before.

.DESCRIPTION
    Restores fDenyTSConnections (local and policy; a value that was absent is removed again),
    TermService's running state and its start type. Supports -WhatIf.

.PARAMETER Before
    The before object Enable-RdpService.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region state (shared by Test-RdpServiceState.ps1, Enable-RdpService.ps1, Restore-RdpService.ps1: keep identical)
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Get-RdpServiceState {
    $service = Get-Service -Name TermService
    $local = Get-RegValue 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' 'fDenyTSConnections'
    $policy = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' 'fDenyTSConnections'
    [pscustomobject]@{
        fDenyTSConnections       = $local
        policyFDenyTSConnections = $policy
        termServiceStatus        = [string]$service.Status
        termServiceStartType     = [string]$service.StartType
    }
}

function Get-EffectiveDeny($State) {
    if ($null -ne $State.policyFDenyTSConnections) { return [int]$State.policyFDenyTSConnections }
    if ($null -ne $State.fDenyTSConnections) { return [int]$State.fDenyTSConnections }
    return 1
}
#endregion

function Get-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Set-RegDword([string] $Path, [string] $Name, $Value) {
    # $null removes the value, so a value that was absent before is absent again.
    $exists = $null -ne (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    if ($null -eq $Value) {
        if ($exists) { Remove-ItemProperty -LiteralPath $Path -Name $Name }
    } elseif ($exists) {
        Set-ItemProperty -LiteralPath $Path -Name $Name -Value ([int]$Value)
    } else {
        New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType DWord -Value ([int]$Value) | Out-Null
    }
}

$current = Get-RdpServiceState
$changes = New-Object System.Collections.Generic.List[string]
$tsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

$wantPolicy = Get-Field $Before 'policyFDenyTSConnections'
if ([string]$wantPolicy -ne [string]$current.policyFDenyTSConnections) {
    $what = "restore fDenyTSConnections under $policyKey to $(if ($null -eq $wantPolicy) { '(absent)' } else { $wantPolicy })"
    if ($PSCmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey 'fDenyTSConnections' $wantPolicy }
    $changes.Add($what)
}
$wantLocal = Get-Field $Before 'fDenyTSConnections'
if ([string]$wantLocal -ne [string]$current.fDenyTSConnections) {
    $what = "restore fDenyTSConnections under $tsKey to $(if ($null -eq $wantLocal) { '(absent)' } else { $wantLocal })"
    if ($PSCmdlet.ShouldProcess($tsKey, $what)) { Set-RegDword $tsKey 'fDenyTSConnections' $wantLocal }
    $changes.Add($what)
}
$wantStatus = [string](Get-Field $Before 'termServiceStatus')
if ($wantStatus -eq 'Stopped' -and $current.termServiceStatus -ne 'Stopped') {
    $what = 'stop TermService again (and the services that depend on it)'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Stop-Service -Name TermService -Force }
    $changes.Add($what)
} elseif ($wantStatus -eq 'Running' -and $current.termServiceStatus -ne 'Running') {
    $what = 'start TermService again'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Start-Service -Name TermService }
    $changes.Add($what)
}
$wantStart = [string](Get-Field $Before 'termServiceStartType')
if ($wantStart -and $wantStart -ne $current.termServiceStartType) {
    $what = "set the start type of TermService back to $wantStart"
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Set-Service -Name TermService -StartupType $wantStart }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpServiceState
    changes = $changes.ToArray()
}
