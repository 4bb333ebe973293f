#Requires -Version 5.1
<#
.SYNOPSIS
    Arms a server-side revert: a one-shot scheduled task that undoes a change unless psremedy
    confirms it in time.

.DESCRIPTION
    psremedy runs this on the target before the apply of a fix with revertUnlessConfirmed.
    It writes the undo script, its shared modules (lib\<name>.psm1 beside it, where the undo's
    own Import-Module guard looks), the runner and a data file (the undo's parameters with the
    recorded before-state, as JSON) to %ProgramData%\psremedy\revert\<RunId>-<StepId>\, gives
    that folder an ACL for SYSTEM and Administrators only, then registers the task
    \psremedy\revert-<RunId>-<StepId> (SYSTEM, highest privileges) with two triggers: once at
    the deadline, and at startup (the runner checks the deadline itself), which is what reverts
    a server that was off or restarting at the deadline (StartWhenAvailable is set too, but is
    documented only for time-based tasks with an end boundary). The action runs
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <runner>: no value
    is ever put on a command line.

.PARAMETER RunId
    The psremedy run id.

.PARAMETER StepId
    The fix step id.

.PARAMETER Seconds
    How long from now the server waits for psremedy's confirmation before it reverts.

.PARAMETER Runner
    The text of Invoke-PsRemedyRevert.ps1 (the task's script).

.PARAMETER Undo
    The text of the step's undo script.

.PARAMETER Modules
    The undo's shared modules: objects with name and text.

.PARAMETER DataJson
    The undo's parameters (the step's with: values and Before) as JSON text, written as is.

.OUTPUTS
    One object: taskName, taskPath, folder, deadlineUtc.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')][string] $RunId,
    [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]{1,80}$')][string] $StepId,
    [Parameter(Mandatory)][ValidateRange(1, 86400)][int] $Seconds,
    [Parameter(Mandatory)][string] $Runner,
    [Parameter(Mandatory)][string] $Undo,
    [object[]] $Modules = @(),
    [Parameter(Mandatory)][string] $DataJson
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Protected: no inheritance from ProgramData (where Users may create files); SYSTEM and
# Administrators full control, inherited by what is written inside.
$protectedSddl = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'

function Protect-Folder([string] $Folder) {
    $acl = Get-Acl -LiteralPath $Folder
    $acl.SetSecurityDescriptorSddlForm($protectedSddl)
    Set-Acl -LiteralPath $Folder -AclObject $acl
}

function Read-ModuleEntry($Object, [string] $Name) {
    if ($Object -is [System.Collections.IDictionary]) { return $Object[$Name] }
    return $Object.PSObject.Properties[$Name].Value
}

$utf8 = New-Object System.Text.UTF8Encoding($false)
$taskName = "revert-$RunId-$StepId"
$taskPath = '\psremedy\'
$root = Join-Path $env:ProgramData 'psremedy'
$folder = Join-Path (Join-Path $root 'revert') "$RunId-$StepId"
# Task Scheduler keeps whole seconds: round the deadline up, so the task never fires before it.
$deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
$deadline = $deadline.AddTicks([TimeSpan]::TicksPerSecond - ($deadline.Ticks % [TimeSpan]::TicksPerSecond))
$deadlineText = $deadline.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture)
# The runner compares seconds since 1970 (UTC): no date text to parse in the server's culture.
$epoch = New-Object DateTime 1970, 1, 1, 0, 0, 0, ([DateTimeKind]::Utc)
$deadlineSeconds = [long]($deadline - $epoch).TotalSeconds

try {
    if (-not $PSCmdlet.ShouldProcess("$taskPath$taskName", "Register a task that reverts step $StepId at $deadlineText")) {
        return [pscustomobject]@{ taskName = $taskName; taskPath = $taskPath; folder = $folder; deadlineUtc = $deadlineText }
    }
    if (-not (Test-Path -LiteralPath $root)) { [void](New-Item -ItemType Directory -Path $root -Force) }
    Protect-Folder $root
    if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force }
    [void](New-Item -ItemType Directory -Path $folder -Force)
    Protect-Folder $folder
    $lib = Join-Path $folder 'lib'
    [void](New-Item -ItemType Directory -Path $lib -Force)
    foreach ($module in $Modules) {
        $name = [string](Read-ModuleEntry $module 'name')
        if ($name -notmatch '^[A-Za-z0-9_.-]+$') { throw "module name '$name' is not a plain file name" }
        [System.IO.File]::WriteAllText((Join-Path $lib "$name.psm1"), [string](Read-ModuleEntry $module 'text'), $utf8)
    }
    [System.IO.File]::WriteAllText((Join-Path $folder 'undo.ps1'), $Undo, $utf8)
    [System.IO.File]::WriteAllText((Join-Path $folder 'params.json'), $DataJson, $utf8)
    $task = '{"taskName":"' + $taskName + '","taskPath":"\\psremedy\\","deadlineUtc":"' + $deadlineText + '","deadlineSeconds":' + $deadlineSeconds + '}'
    [System.IO.File]::WriteAllText((Join-Path $folder 'task.json'), $task, $utf8)
    $runnerPath = Join-Path $folder 'Invoke-PsRemedyRevert.ps1'
    [System.IO.File]::WriteAllText($runnerPath, $Runner, $utf8)

    $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$runnerPath`""
    $once = New-ScheduledTaskTrigger -Once -At $deadline.ToLocalTime()
    $startup = New-ScheduledTaskTrigger -AtStartup
    $principal = New-ScheduledTaskPrincipal -UserId 'NT AUTHORITY\SYSTEM' -LogonType ServiceAccount -RunLevel Highest
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -ExecutionTimeLimit (New-TimeSpan -Minutes 10)
    [void](Register-ScheduledTask -TaskName $taskName -TaskPath $taskPath -Action $action -Trigger $once, $startup -Principal $principal -Settings $settings -Description "psremedy: undo step $StepId of run $RunId unless psremedy confirms it by $deadlineText" -Force)
} catch {
    throw "Cannot arm the server-side revert of step ${StepId}: $($_.Exception.Message)"
}

[pscustomobject]@{
    taskName    = $taskName
    taskPath    = $taskPath
    folder      = $folder
    deadlineUtc = $deadlineText
}
