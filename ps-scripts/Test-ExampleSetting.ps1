#Requires -Version 5.1
<#
.SYNOPSIS
    Tests whether one key of a key=value settings file has the wanted value.

.DESCRIPTION
    The test script of the example-settings fix step: compliant when the file exists and its
    last line for the key holds exactly the wanted value. The state it returns is what
    Set-ExampleSetting records as "before" and Restore-ExampleSetting puts back. Changes nothing.

.PARAMETER Path
    The settings file. A relative path is relative to the PowerShell current location.

.PARAMETER Key
    The setting to test (compared case-insensitively).

.PARAMETER Value
    The wanted value (compared case-sensitively).

.OUTPUTS
    One object: compliant, state (fileExists, present, value).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $Path,

    [Parameter(Mandatory)]
    [ValidatePattern('^[A-Za-z][A-Za-z0-9_.]*$')]
    [string] $Key,

    [Parameter(Mandatory)]
    [AllowEmptyString()]
    [string] $Value
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name ExampleSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/ExampleSetting.psm1') }

$fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
$state = Get-SettingState -FullPath $fullPath -Name $Key

[pscustomobject]@{
    compliant = [bool]($state.present -and $state.value -ceq $Value)
    state     = $state
}
