#Requires -Version 5.1
<#
.SYNOPSIS
    Reads one "Name = value" line of a settings file (lines starting with # or ; are comments):
    shared by the example-settings playbook's scripts.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/ExampleSetting.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Whether the file exists, whether it sets the key, and the value (the last line that sets it wins).
function Get-SettingState([string] $FullPath, [string] $Name) {
    $state = [ordered]@{ fileExists = $false; present = $false; value = $null }
    if (-not [System.IO.File]::Exists($FullPath)) { return [pscustomobject]$state }
    $state.fileExists = $true
    try {
        $lines = [System.IO.File]::ReadAllLines($FullPath)
    } catch {
        throw "Cannot read the settings file '$FullPath': $($_.Exception.Message)"
    }
    foreach ($line in $lines) {
        $text = $line.Trim()
        if ($text -eq '' -or $text.StartsWith('#') -or $text.StartsWith(';')) { continue }
        $equals = $text.IndexOf('=')
        if ($equals -lt 1) { continue }
        if ($text.Substring(0, $equals).Trim() -eq $Name) {
            $state.present = $true
            $state.value = $text.Substring($equals + 1).Trim()
        }
    }
    [pscustomobject]$state
}

# Whether a line sets the key (comment lines never do).
function Test-KeyLine([string] $Line, [string] $Name) {
    $text = $Line.Trim()
    if ($text.StartsWith('#') -or $text.StartsWith(';')) { return $false }
    $equals = $text.IndexOf('=')
    return ($equals -ge 1 -and $text.Substring(0, $equals).Trim() -eq $Name)
}
