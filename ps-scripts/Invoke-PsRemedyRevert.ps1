#Requires -Version 5.1
<#
.SYNOPSIS
    The scheduled task's script of a server-side revert: runs the undo beside it with the
    recorded parameters once the deadline has passed, then removes its task.

.DESCRIPTION
    Register-PsRemedyRevert.ps1 writes this file with undo.ps1, lib\, params.json and task.json
    into one protected folder; the task runs it with -File. It reads only those files (values are
    data, never parsed as code), does nothing before the deadline (the startup trigger fires at
    every boot), splats params.json onto undo.ps1, writes result.json, and unregisters its task.
    The folder stays for psremedy to read; psremedy removes it.

.OUTPUTS
    Nothing; result.json holds status (reverted | failed), error and finishedUtc.
#>
[CmdletBinding(SupportsShouldProcess)]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$folder = $PSScriptRoot
$utf8 = New-Object System.Text.UTF8Encoding($false)
$task = [System.IO.File]::ReadAllText((Join-Path $folder 'task.json')) | ConvertFrom-Json
$resultPath = Join-Path $folder 'result.json'
if ([System.IO.File]::Exists($resultPath)) { return }
$epoch = New-Object DateTime 1970, 1, 1, 0, 0, 0, ([DateTimeKind]::Utc)
if (([DateTime]::UtcNow - $epoch).TotalSeconds -lt [double]$task.deadlineSeconds) { return }

# ConvertFrom-Json on 5.1 cannot return a hashtable: the top level is copied into the splatting table.
$data = [System.IO.File]::ReadAllText((Join-Path $folder 'params.json'), $utf8) | ConvertFrom-Json
$params = @{}
foreach ($p in $data.PSObject.Properties) { $params[$p.Name] = $p.Value }

$status = 'reverted'
$message = $null
try {
    if ($PSCmdlet.ShouldProcess($folder, 'Run the undo')) { [void](& (Join-Path $folder 'undo.ps1') @params) }
} catch {
    $status = 'failed'
    $message = $_.Exception.Message
}
$result = New-Object psobject -Property ([ordered]@{ status = $status; error = $message; finishedUtc = [DateTime]::UtcNow.ToString('o') })
[System.IO.File]::WriteAllText($resultPath, ($result | ConvertTo-Json -Compress), $utf8)
Unregister-ScheduledTask -TaskName $task.taskName -TaskPath $task.taskPath -Confirm:$false
