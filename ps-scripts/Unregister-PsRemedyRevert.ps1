#Requires -Version 5.1
<#
.SYNOPSIS
    Disarms a server-side revert (psremedy confirmed the change), or reads what the task did.

.DESCRIPTION
    psremedy runs this on the target once the change is confirmed, and again when it reconnects
    after the deadline or in `psremedy rollback`. It reads result.json (written by the task when
    it ran), unregisters the task if it is still there, and deletes the folder unless -Keep.

.PARAMETER RunId
    The psremedy run id.

.PARAMETER StepId
    The fix step id.

.PARAMETER Keep
    Only look: neither unregister the task nor delete the folder.

.OUTPUTS
    One object: taskFound (the task was still registered), ran (the task has run), result (its
    result.json: status, error, finishedUtc), folderRemoved.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')][string] $RunId,
    [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')][string] $StepId,
    [switch] $Keep
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$taskName = "revert-$RunId-$StepId"
$taskPath = '\psremedy\'
$folder = Join-Path (Join-Path (Join-Path $env:ProgramData 'psremedy') 'revert') "$RunId-$StepId"
$resultPath = Join-Path $folder 'result.json'
try {
    $task = @(Get-ScheduledTask -TaskName $taskName -TaskPath $taskPath -ErrorAction SilentlyContinue)
    $taskFound = $task.Count -gt 0
    if ($taskFound -and -not $Keep -and $PSCmdlet.ShouldProcess("$taskPath$taskName", 'Unregister the revert task')) {
        Unregister-ScheduledTask -TaskName $taskName -TaskPath $taskPath -Confirm:$false
    }
    $result = $null
    if (Test-Path -LiteralPath $resultPath) { $result = [System.IO.File]::ReadAllText($resultPath) | ConvertFrom-Json }
    $removed = $false
    if (-not $Keep -and (Test-Path -LiteralPath $folder) -and $PSCmdlet.ShouldProcess($folder, 'Delete the revert folder')) {
        Remove-Item -LiteralPath $folder -Recurse -Force
        $removed = $true
    }
} catch {
    throw "Cannot disarm the server-side revert of step ${StepId}: $($_.Exception.Message)"
}

[pscustomobject]@{
    taskFound     = $taskFound
    ran           = $null -ne $result
    result        = $result
    folderRemoved = $removed
}
