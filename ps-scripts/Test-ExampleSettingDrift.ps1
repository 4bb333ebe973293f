#Requires -Version 5.1
<#
.SYNOPSIS
    Diagnoses one key of a key=value settings file: is the file or the key missing, or does the
    key hold another value than expected?

.DESCRIPTION
    Reads the file (lines "key = value"; lines starting with # or ; are comments; the last line
    for a key wins; keys compare case-insensitively). Reports a finding for each cause of the
    example-settings playbook, with confidence 1 (present) or 0 (ruled out). Changes nothing.

.PARAMETER Path
    The settings file. A relative path is relative to the PowerShell current location.

.PARAMETER Key
    The setting to check.

.PARAMETER Expected
    The value the setting should have.

.OUTPUTS
    One object: findings (cause, confidence, evidence), state (fileExists, present, value), expected.
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
    [string] $Expected
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name ExampleSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/ExampleSetting.psm1') }
if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }

# .NET resolves relative paths against the process folder, not the PowerShell location.
$fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
$state = Get-SettingState -FullPath $fullPath -Name $Key
Write-Verbose "Read $fullPath : fileExists=$($state.fileExists) present=$($state.present)"

$findings = @()
if (-not $state.fileExists) {
    $findings += New-Finding 'setting-missing' 1.0 "The settings file $fullPath does not exist."
    $findings += New-Finding 'setting-wrong' 0.0 'There is no file, so no value to be wrong.'
} elseif (-not $state.present) {
    $findings += New-Finding 'setting-missing' 1.0 "$fullPath has no line for $Key."
    $findings += New-Finding 'setting-wrong' 0.0 "$Key is not set at all."
} elseif ($state.value -cne $Expected) {
    $findings += New-Finding 'setting-missing' 0.0 "$fullPath sets $Key."
    $findings += New-Finding 'setting-wrong' 1.0 "$Key is '$($state.value)' in $fullPath; expected '$Expected'."
} else {
    $findings += New-Finding 'setting-missing' 0.0 "$fullPath sets $Key."
    $findings += New-Finding 'setting-wrong' 0.0 "$Key is '$Expected' as expected."
}

[pscustomobject]@{
    findings = $findings
    state    = $state
    expected = $Expected
}
