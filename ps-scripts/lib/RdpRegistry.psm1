#Requires -Version 5.1
<#
.SYNOPSIS
    Reads and writes registry values the way the RDP fixes record them (absent stays absent).

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpRegistry.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# A registry value, or $null when the key or the value does not exist.
function Get-RegValue([string] $Path, [string] $Name) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

# Sets a DWORD value; $null removes it (an undo puts an absent value back as absent).
function Set-RegDword([string] $Path, [string] $Name, $Value) {
    $exists = $null -ne (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    if ($null -eq $Value) {
        if ($exists) { Remove-ItemProperty -LiteralPath $Path -Name $Name }
    } elseif ($exists) {
        Set-ItemProperty -LiteralPath $Path -Name $Name -Value ([int]$Value)
    } else {
        # The key itself may be gone (a GPO removed since the change): create it first.
        if (-not (Test-Path -LiteralPath $Path)) { New-Item -Path $Path -Force | Out-Null }
        New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType DWord -Value ([int]$Value) | Out-Null
    }
}
