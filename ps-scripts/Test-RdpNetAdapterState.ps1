#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: are the network adapters up (the one named Name, or all of them)?

.OUTPUTS
    { compliant, reason, state { adapters: [{ name, ifIndex, status }] } }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Name = '',

    [switch] $Force,

    [string] $ManagementAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpNetAdapter)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpNetAdapter.psm1') }

$state = Get-RdpAdapterState
if ($Name -and -not @($state.adapters | Where-Object { $_.name -eq $Name })) { throw "No network adapter named '$Name' (adapters: $(($state.adapters | ForEach-Object { $_.name }) -join ', '))." }
$down = @(Select-DownAdapter $state $Name)
$reason = 'The network adapters are Up.'
if ($down.Count -gt 0) { $reason = (($down | ForEach-Object { "$($_.name) is $($_.status)" }) -join '; ') + '.' }

[pscustomobject]@{ compliant = ($down.Count -eq 0); reason = $reason; state = $state }
