#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: is the adapter named Name up, or (no Name) is every adapter on RDP's path up, as
    the adapter diagnosis judges it (Get-RdpAdapterVerdict)? A spare port may stay down.

.OUTPUTS
    { compliant, reason, state { adapters: [{ name, ifIndex, status }] } }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Name = '',

    [switch] $Force,

    [string] $ManagementAddress = '',

    [AllowEmptyString()]
    [string] $ClientAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

$state = Get-RdpAdapterState
if ($Name -and -not @($state.adapters | Where-Object { $_.name -eq $Name })) { throw "No network adapter named '$Name' (adapters: $(($state.adapters | ForEach-Object { $_.name }) -join ', '))." }
# The diagnosis's judgement: a named adapter must be up; otherwise no adapter on RDP's path may be down.
if ($Name) {
    $down = @(Select-DownAdapter $state $Name)
} else {
    $down = @((Get-RdpAdapterVerdict $ManagementAddress $ClientAddress).suspects)
}
$reason = 'The network adapters RDP uses are Up.'
if ($down.Count -gt 0) { $reason = (($down | ForEach-Object { "$($_.name) is $($_.status)" }) -join '; ') + '.' }

[pscustomobject]@{ compliant = ($down.Count -eq 0); reason = $reason; state = $state }
