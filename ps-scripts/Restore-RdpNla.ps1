#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts Network Level Authentication back exactly as Set-RdpNla.ps1 found it.

.DESCRIPTION
    Restores the RDP-Tcp and Group Policy values exactly (a value that was absent is removed
    again). Supports -WhatIf.

.PARAMETER Before
    The before object Set-RdpNla.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,

    [ValidateSet(0, 1)]
    [int] $Desired = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpSetting.psm1') }

$current = Get-RdpSettingState 'UserAuthentication' 0
$changes = @(Restore-RdpSetting $PSCmdlet 'UserAuthentication' $Before $current)

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpSettingState 'UserAuthentication' 0
    changes = $changes
}
