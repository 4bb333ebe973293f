#Requires -Version 5.1
<#
.SYNOPSIS
    Puts one key of a key=value settings file back to a recorded state.

.DESCRIPTION
    The undo script of the example-settings fix step. -Before is the state Set-ExampleSetting
    returned as "before": when the file did not exist it is deleted; when the key was absent its
    lines are removed; otherwise the key gets its old value back. Other lines stay as they are.

.PARAMETER Path
    The settings file. A relative path is relative to the PowerShell current location.

.PARAMETER Key
    The setting to restore.

.PARAMETER Before
    The recorded state: fileExists, present, value (a hashtable or an object).

.PARAMETER Value
    The value the apply script set. Not used (the undo restores -Before); accepted because a fix
    step passes the same with: to its test, apply and undo scripts.

.OUTPUTS
    One object: changed, before (the state found now) and after (the restored state).
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
    [psobject] $Before,

    [string] $Value
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name ExampleSetting)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/ExampleSetting.psm1') }

# -Before arrives as a PSCustomObject (from JSON) or a hashtable; StrictMode needs a guarded read.
function Get-BeforeField([string] $Name) {
    if ($Before -is [System.Collections.IDictionary]) {
        if (-not $Before.Contains($Name)) { throw "-Before has no '$Name'; pass the state the apply step recorded." }
        return $Before[$Name]
    }
    $property = $Before.PSObject.Properties[$Name]
    if ($null -eq $property) { throw "-Before has no '$Name'; pass the state the apply step recorded." }
    return $property.Value
}

$fullPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
$fileExisted = [bool](Get-BeforeField 'fileExists')
$wasPresent = [bool](Get-BeforeField 'present')
$oldValue = Get-BeforeField 'value'

try {
    $current = Get-SettingState -FullPath $fullPath -Name $Key
    $changed = $false
    if (-not $fileExisted) {
        if ($current.fileExists -and $PSCmdlet.ShouldProcess($fullPath, 'Delete the file it did not exist before')) {
            [System.IO.File]::Delete($fullPath)
            $changed = $true
        }
    } elseif ($PSCmdlet.ShouldProcess($fullPath, "Restore $Key")) {
        $out = New-Object System.Collections.Generic.List[string]
        $written = $false
        if ($current.fileExists) {
            foreach ($line in [System.IO.File]::ReadAllLines($fullPath)) {
                if (Test-KeyLine -Line $line -Name $Key) {
                    if ($wasPresent -and -not $written) { $out.Add("$Key=$oldValue"); $written = $true }
                    continue
                }
                $out.Add($line)
            }
        }
        if ($wasPresent -and -not $written) { $out.Add("$Key=$oldValue") }
        [System.IO.File]::WriteAllLines($fullPath, $out.ToArray(), (New-Object System.Text.UTF8Encoding($false)))
        $changed = $true
    }
    $after = Get-SettingState -FullPath $fullPath -Name $Key
} catch {
    throw "Cannot restore $Key in '$fullPath': $($_.Exception.Message)"
}

[pscustomobject]@{
    changed = $changed
    before  = $current
    after   = $after
}
