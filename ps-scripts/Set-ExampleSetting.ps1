#Requires -Version 5.1
<#
.SYNOPSIS
    Sets one key of a key=value settings file, returning the state before and after.

.DESCRIPTION
    The apply script of the example-settings fix step. Replaces the key's line (dropping
    duplicates of it) or appends one, keeping every other line and comment as it was; creates
    the file when it is missing. Writes UTF-8 without a BOM. With -WhatIf it changes nothing and
    returns the state it would produce.

.PARAMETER Path
    The settings file. A relative path is relative to the PowerShell current location.

.PARAMETER Key
    The setting to set.

.PARAMETER Value
    The value to give it.

.OUTPUTS
    One object: changed, before and after (each: fileExists, present, value).
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
    [ValidatePattern('^[^\r\n]*$')]
    [string] $Value
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name ExampleSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/ExampleSetting.psm1') }

function Write-SettingLine([string] $FullPath, [string] $Name, [string] $NewValue) {
    $out = New-Object System.Collections.Generic.List[string]
    $written = $false
    if ([System.IO.File]::Exists($FullPath)) {
        foreach ($line in [System.IO.File]::ReadAllLines($FullPath)) {
            if (Test-KeyLine -Line $line -Name $Name) {
                if (-not $written) { $out.Add("$Name=$NewValue"); $written = $true }
                continue
            }
            $out.Add($line)
        }
    }
    if (-not $written) { $out.Add("$Name=$NewValue") }
    [System.IO.File]::WriteAllLines($FullPath, $out.ToArray(), (New-Object System.Text.UTF8Encoding($false)))
}

$fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
try {
    $before = Get-SettingState -FullPath $fullPath -Name $Key
    $changed = $false
    if ($before.present -and $before.value -ceq $Value) {
        Write-Verbose "$Key is already '$Value' in $fullPath"
        $after = $before
    } elseif ($PSCmdlet.ShouldProcess($fullPath, "Set $Key=$Value")) {
        Write-SettingLine -FullPath $fullPath -Name $Key -NewValue $Value
        $changed = $true
        $after = Get-SettingState -FullPath $fullPath -Name $Key
    } else {
        $after = [pscustomobject][ordered]@{ fileExists = $true; present = $true; value = $Value }
    }
} catch {
    throw "Cannot set $Key in '$fullPath': $($_.Exception.Message)"
}

[pscustomobject]@{
    changed = $changed
    before  = $before
    after   = $after
}
