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
if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpBeforeState.psm1') }

$policyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

# A setting's RDP-Tcp and policy values, the value that applies, and where it comes from.
function Get-RdpSetting([string] $Name, [int] $Default) {
    $local = Get-RegValue $rdpTcpKey $Name
    $policy = Get-RegValue $policyKey $Name
    $effective = $Default
    $source = 'default'
    if ($null -ne $policy) { $effective = [int]$policy; $source = 'policy' } elseif ($null -ne $local) { $effective = [int]$local; $source = 'local' }
    [pscustomobject]@{ local = $local; policy = $policy; effective = $effective; source = $source }
}

# A setting as its fix records it: { local, policy, effective }.
function Get-RdpSettingState([string] $Name, [int] $Default) {
    Get-RdpSetting $Name $Default | Select-Object -Property local, policy, effective
}

# Sets a setting where it takes effect: the policy value when Group Policy sets one, else through
# the Win32_TSGeneralSetting method; inside the calling script's ShouldProcess. Returns the change.
function Set-RdpSetting {
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string] $Name,
        $State,
        [int] $Target,
        [string] $MethodName,
        [string] $ArgumentName
    )
    if ($null -ne $State.policy) {
        $what = "set $Name from $($State.policy) to $Target under $policyKey (Group Policy value; a domain GPO will set it again at its next refresh)"
        if ($Cmdlet.ShouldProcess($policyKey, $what)) { Set-RegDword $policyKey $Name $Target }
        return $what
    }
    $what = "set $Name from $($State.effective) to $Target (Win32_TSGeneralSetting.$MethodName)"
    if ($Cmdlet.ShouldProcess('RDP-Tcp', $what)) {
        $setting = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
        $result = Invoke-CimMethod -InputObject $setting -MethodName $MethodName -Arguments @{ $ArgumentName = [uint32]$Target }
        if ([int64]$result.ReturnValue -ne 0) {
            throw ("{2}({0}) returned {1} (0x{1:X}): the value is controlled elsewhere or invalid. Check $policyKey and Group Policy." -f $Target, [int64]$result.ReturnValue, $MethodName)
        }
    }
    return $what
}

# Puts a setting's policy and RDP-Tcp values back as a recorded state had them (absent stays
# absent), inside the calling script's ShouldProcess. Returns the changes, one string each.
function Restore-RdpSetting {
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string] $Name,
        $Before,
        $Current
    )
    $keys = [ordered]@{ policy = $policyKey; local = $rdpTcpKey }
    foreach ($which in $keys.Keys) {
        $want = Get-Field $Before $which
        $now = $Current.$which
        if ([string]$want -ne [string]$now) {
            $shown = '(absent)'
            if ($null -ne $want) { $shown = [string]$want }
            $what = "restore $Name under $($keys[$which]) to $shown"
            if ($Cmdlet.ShouldProcess($keys[$which], $what)) { Set-RegDword $keys[$which] $Name $want }
            $what
        }
    }
}
