# ScheduledTasks over state.scheduledTasks: enough to register a self-reverting change, look at
# it and remove it. The module never fires a task by itself: Start-ScheduledTask, or the lab
# runtime's scheduler (src/lab/task-scheduler.ts, through Invoke-LabScheduledTask when a trigger
# is due), runs a task's PowerShell action in this session.

$script:TaskNamespace = 'Root/Microsoft/Windows/TaskScheduler'

function Format-LabBoundary {
    param([datetime]$Date)
    return $Date.ToString('yyyy-MM-ddTHH:mm:ssK', [cultureinfo]::InvariantCulture)
}

function New-ScheduledTaskAction {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][string]$Execute,
        [Parameter(Position = 1)][string]$Argument,
        [Parameter(Position = 2)][string]$WorkingDirectory,
        [string]$Id,
        [object[]]$CimSession
    )
    New-LabCimObject $script:TaskNamespace 'MSFT_TaskExecAction' ([ordered]@{ Id = $(if ($Id) { $Id } else { $null }); Arguments = $(if ($Argument) { $Argument } else { $null }); Execute = $Execute; WorkingDirectory = $(if ($WorkingDirectory) { $WorkingDirectory } else { $null }) })
}

function New-ScheduledTaskTrigger {
    [CmdletBinding(DefaultParameterSetName = 'Once')]
    param(
        [Parameter(ParameterSetName = 'Once', Mandatory)][switch]$Once,
        [Parameter(ParameterSetName = 'Daily', Mandatory)][switch]$Daily,
        [Parameter(ParameterSetName = 'AtStartup', Mandatory)][switch]$AtStartup,
        [Parameter(ParameterSetName = 'AtLogOn', Mandatory)][switch]$AtLogOn,
        [Parameter(ParameterSetName = 'Once', Mandatory)][Parameter(ParameterSetName = 'Daily', Mandatory)][datetime]$At,
        [Parameter(ParameterSetName = 'Daily')][uint32]$DaysInterval = 1,
        [Parameter(ParameterSetName = 'Once')][timespan]$RepetitionInterval,
        [Parameter(ParameterSetName = 'Once')][timespan]$RepetitionDuration,
        [timespan]$RandomDelay,
        [Parameter(ParameterSetName = 'AtLogOn')][string]$User,
        [object[]]$CimSession
    )
    $class = switch ($PSCmdlet.ParameterSetName) { 'Once' { 'MSFT_TaskTimeTrigger' } 'Daily' { 'MSFT_TaskDailyTrigger' } 'AtStartup' { 'MSFT_TaskBootTrigger' } default { 'MSFT_TaskLogonTrigger' } }
    $p = [ordered]@{
        Enabled = $true; EndBoundary = $null; ExecutionTimeLimit = $null; Id = $null; Repetition = $null
        StartBoundary = $(if ($PSBoundParameters.ContainsKey('At')) { Format-LabBoundary $At } else { $null })
        RandomDelay = $(if ($PSBoundParameters.ContainsKey('RandomDelay')) { [System.Xml.XmlConvert]::ToString($RandomDelay) } else { $null })
    }
    if ($class -eq 'MSFT_TaskDailyTrigger') { $p.DaysInterval = [int16]$DaysInterval }
    New-LabCimObject $script:TaskNamespace $class $p
}

function New-ScheduledTaskPrincipal {
    [CmdletBinding(DefaultParameterSetName = 'User')]
    param(
        [Parameter(ParameterSetName = 'User', Mandatory)][string]$UserId,
        [Parameter(ParameterSetName = 'Group', Mandatory)][string]$GroupId,
        [ValidateSet('None', 'Password', 'S4U', 'Interactive', 'Group', 'ServiceAccount', 'InteractiveOrPassword')][string]$LogonType = 'Interactive',
        [ValidateSet('Limited', 'Highest')][string]$RunLevel = 'Limited',
        [string]$Id,
        [string]$ProcessTokenSidType,
        [string[]]$RequiredPrivilege,
        [object[]]$CimSession
    )
    New-LabCimObject $script:TaskNamespace 'MSFT_TaskPrincipal2' ([ordered]@{ DisplayName = $null; GroupId = $(if ($GroupId) { $GroupId } else { $null }); Id = 'Author'; LogonType = $LogonType; RunLevel = $RunLevel; UserId = $(if ($UserId) { $UserId } else { $null }); ProcessTokenSidType = 'Default'; RequiredPrivilege = $null })
}

function New-ScheduledTaskSettingsSet {
    [CmdletBinding()]
    param(
        [switch]$AllowStartIfOnBatteries, [switch]$DontStopIfGoingOnBatteries, [switch]$StartWhenAvailable, [switch]$Hidden,
        [timespan]$ExecutionTimeLimit, [timespan]$DeleteExpiredTaskAfter, [int]$Priority = 7, [int]$RestartCount, [timespan]$RestartInterval,
        [string]$MultipleInstances, [switch]$Disable, [object[]]$CimSession
    )
    New-LabCimObject $script:TaskNamespace 'MSFT_TaskSettings3' ([ordered]@{
            AllowDemandStart = $true; AllowHardTerminate = $true; DisallowStartIfOnBatteries = -not $AllowStartIfOnBatteries.IsPresent
            StopIfGoingOnBatteries = -not $DontStopIfGoingOnBatteries.IsPresent; StartWhenAvailable = $StartWhenAvailable.IsPresent; Hidden = $Hidden.IsPresent
            Enabled = -not $Disable.IsPresent; Priority = $Priority; ExecutionTimeLimit = $(if ($PSBoundParameters.ContainsKey('ExecutionTimeLimit')) { [System.Xml.XmlConvert]::ToString($ExecutionTimeLimit) } else { 'PT72H' })
        })
}

function ConvertTo-LabTaskObject {
    param([System.Collections.IDictionary]$Task)
    $actions = @($Task.actions | ForEach-Object { New-ScheduledTaskAction -Execute $_.execute -Argument (Get-LabRuleField $_ 'arguments' '') -WorkingDirectory (Get-LabRuleField $_ 'workingDirectory' '') })
    $triggers = @($Task.triggers | ForEach-Object {
            $class = switch ($_.type) { 'Once' { 'MSFT_TaskTimeTrigger' } 'Daily' { 'MSFT_TaskDailyTrigger' } 'AtStartup' { 'MSFT_TaskBootTrigger' } default { 'MSFT_TaskLogonTrigger' } }
            $at = if ($_.Contains('at') -and $_.at) { Format-LabBoundary (ConvertFrom-LabTimestamp $_.at) } else { $null }
            New-LabCimObject $script:TaskNamespace $class ([ordered]@{ Enabled = -not ($_.Contains('enabled') -and -not $_.enabled); StartBoundary = $at; EndBoundary = $null; Id = $null; Repetition = $null })
        })
    $principal = New-LabCimObject $script:TaskNamespace 'MSFT_TaskPrincipal2' ([ordered]@{ DisplayName = $null; GroupId = $null; Id = 'Author'; LogonType = 'ServiceAccount'; RunLevel = (Get-LabRuleField $Task 'runLevel' 'Limited'); UserId = (Get-LabRuleField $Task 'userId' 'SYSTEM') })
    $p = [ordered]@{
        Actions = $actions; Author = Get-LabRuleField $Task 'author' $null; Date = $null; Description = Get-LabRuleField $Task 'description' $null
        Documentation = $null; Principal = $principal; SecurityDescriptor = $null; Settings = $null; Source = $null; State = [string]$Task.state
        TaskName = [string]$Task.taskName; TaskPath = [string]$Task.taskPath; Triggers = $triggers; URI = "$($Task.taskPath)$($Task.taskName)"; Version = $null
    }
    return New-LabCimObject $script:TaskNamespace 'MSFT_ScheduledTask' $p
}

function Select-LabTask {
    param([System.Collections.IDictionary]$State, [string[]]$TaskName, [string[]]$TaskPath, [System.Collections.Generic.List[object]]$NotFound)
    $tasks = @($State.scheduledTasks)
    if ($TaskPath) { $tasks = Select-LabByValue $tasks { $args[0].taskPath } $TaskPath 'MSFT_ScheduledTask' 'TaskPath' $NotFound }
    if ($TaskName) { $tasks = Select-LabByValue $tasks { $args[0].taskName } $TaskName 'MSFT_ScheduledTask' 'TaskName' $NotFound }
    return , @($tasks)
}

function Get-ScheduledTask {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string[]]$TaskName,
        [Parameter(Position = 1)][string[]]$TaskPath,
        [object[]]$CimSession
    )
    $state = Read-LabState -ReadOnly
    $notFound = [System.Collections.Generic.List[object]]::new()
    foreach ($t in (Select-LabTask $state $TaskName $TaskPath $notFound)) { ConvertTo-LabTaskObject $t }
    Write-LabErrors $PSCmdlet $notFound
}

function Register-ScheduledTask {
    [CmdletBinding(DefaultParameterSetName = 'User')]
    param(
        [Parameter(Mandatory, Position = 0)][string]$TaskName,
        [Parameter(Position = 1)][string]$TaskPath = '\',
        [Parameter(ParameterSetName = 'User', Mandatory, Position = 2)][Parameter(ParameterSetName = 'Principal', Mandatory, Position = 2)][psobject[]]$Action,
        [Parameter(ParameterSetName = 'User', Position = 3)][Parameter(ParameterSetName = 'Principal', Position = 3)][psobject[]]$Trigger,
        [Parameter(ParameterSetName = 'User', Position = 4)][Parameter(ParameterSetName = 'Principal', Position = 4)][psobject]$Settings,
        [Parameter(ParameterSetName = 'User', Position = 5)][string]$User,
        [Parameter(ParameterSetName = 'User', Position = 6)][string]$Password,
        [Parameter(ParameterSetName = 'User', Position = 7)][ValidateSet('Limited', 'Highest')][string]$RunLevel = 'Limited',
        [Parameter(ParameterSetName = 'Principal', Mandatory)][psobject]$Principal,
        [Parameter(ParameterSetName = 'Object', Mandatory, ValueFromPipeline)][psobject]$InputObject,
        [Parameter(ParameterSetName = 'Xml', Mandatory)][string]$Xml,
        [string]$Description,
        [switch]$Force,
        [object[]]$CimSession
    )
    $state = Read-LabState
    if (-not $TaskPath.EndsWith('\')) { $TaskPath += '\' }
    if (-not $TaskPath.StartsWith('\')) { $TaskPath = '\' + $TaskPath }
    if ($InputObject) { $Action = $InputObject.Actions; $Trigger = $InputObject.Triggers; $Principal = $InputObject.Principal; if (-not $Description) { $Description = $InputObject.Description } }
    $existing = @($state.scheduledTasks | Where-Object { $_.taskName -eq $TaskName -and $_.taskPath -eq $TaskPath })
    if ($existing.Count -gt 0 -and -not $Force) {
        $PSCmdlet.WriteError((New-LabErrorRecord -Message 'Cannot create a file when that file already exists.' -ErrorId 'HRESULT 0x800700b7' -Category ResourceExists `
                    -TargetObject 'PS_ScheduledTask' -ExceptionType 'System.Exception'))
        return
    }
    foreach ($e in $existing) { [void]$state.scheduledTasks.Remove($e) }
    $task = New-LabMap
    $task.taskName = $TaskName
    $task.taskPath = $TaskPath
    $task.state = 'Ready'
    if ($Description) { $task.description = $Description }
    $task.author = "$($state.hostName)\Administrator"
    $task.userId = if ($Principal -and $Principal.UserId) { [string]$Principal.UserId } elseif ($User) { $User } else { "$($state.hostName)\Administrator" }
    $task.runLevel = if ($Principal) { [string]$Principal.RunLevel } else { $RunLevel }
    $task.actions = [System.Collections.Generic.List[object]]::new()
    foreach ($a in @($Action)) {
        $entry = New-LabMap
        $entry.execute = [string]$a.Execute
        if ($a.Arguments) { $entry.arguments = [string]$a.Arguments }
        if ($a.WorkingDirectory) { $entry.workingDirectory = [string]$a.WorkingDirectory }
        $task.actions.Add($entry)
    }
    $task.triggers = [System.Collections.Generic.List[object]]::new()
    foreach ($t in @($Trigger | Where-Object { $null -ne $_ })) {
        $entry = New-LabMap
        $class = [string]$t.PSTypeNames[0]
        $entry.type = if ($class -like '*TimeTrigger') { 'Once' } elseif ($class -like '*DailyTrigger') { 'Daily' } elseif ($class -like '*BootTrigger') { 'AtStartup' } else { 'AtLogOn' }
        if ($t.StartBoundary) { $entry.at = ConvertTo-LabTimestamp ([datetimeoffset]::Parse([string]$t.StartBoundary, [cultureinfo]::InvariantCulture).LocalDateTime) }
        $entry.enabled = [bool]$t.Enabled
        $task.triggers.Add($entry)
    }
    $state.scheduledTasks.Add($task)
    Save-LabState $state
    ConvertTo-LabTaskObject $task
}

function Unregister-ScheduledTask {
    [CmdletBinding(DefaultParameterSetName = 'TaskName', SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'TaskName', Position = 0)][string[]]$TaskName,
        [Parameter(ParameterSetName = 'TaskName', Position = 1)][string[]]$TaskPath,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#Root/Microsoft/Windows/TaskScheduler/MSFT_ScheduledTask')][psobject[]]$InputObject,
        [switch]$PassThru,
        [object[]]$CimSession
    )
    process {
        $state = Read-LabState
        $notFound = [System.Collections.Generic.List[object]]::new()
        if ($InputObject) { $tasks = @($state.scheduledTasks | Where-Object { $t = $_; @($InputObject | Where-Object { $_.TaskName -eq $t.taskName -and $_.TaskPath -eq $t.taskPath }).Count -gt 0 }) }
        else { $tasks = Select-LabTask $state $TaskName $TaskPath $notFound }
        $removed = $false
        foreach ($t in $tasks) {
            if (-not $PSCmdlet.ShouldProcess("$($t.taskPath)$($t.taskName)", 'Unregister-ScheduledTask')) { continue }
            [void]$state.scheduledTasks.Remove($t)
            $removed = $true
            if ($PassThru) { ConvertTo-LabTaskObject $t }
        }
        if ($removed) { Save-LabState $state }
        Write-LabErrors $PSCmdlet $notFound
    }
}

# The PowerShell text a task action would run (powershell.exe/pwsh -Command, -EncodedCommand, -File).
function Get-LabTaskScript {
    param([System.Collections.IDictionary]$Action)
    if ([IO.Path]::GetFileNameWithoutExtension([string]$Action.execute) -notin 'powershell', 'pwsh') { return $null }
    $arguments = Get-LabRuleField $Action 'arguments' ''
    $m = [regex]::Match($arguments, '(?i)(?:^|\s)-(?:EncodedCommand|enc|ec|e)\s+([A-Za-z0-9+/=]+)')
    if ($m.Success) { return [Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($m.Groups[1].Value)) }
    $m = [regex]::Match($arguments, '(?i)(?:^|\s)-(?:Command|c)\s+(.*)$')
    if ($m.Success) {
        $text = $m.Groups[1].Value.Trim()
        if ($text.Length -ge 2 -and $text.StartsWith('"') -and $text.EndsWith('"')) { $text = $text.Substring(1, $text.Length - 2).Replace('\"', '"') }
        return $text
    }
    $m = [regex]::Match($arguments, '(?i)(?:^|\s)-(?:File|f)\s+("([^"]+)"|(\S+))')
    if ($m.Success) {
        $file = if ($m.Groups[2].Success) { $m.Groups[2].Value } else { $m.Groups[3].Value }
        return [IO.File]::ReadAllText($file)
    }
    return $null
}

function Start-ScheduledTask {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][string]$TaskName,
        [Parameter(Position = 1)][string]$TaskPath,
        [object[]]$CimSession
    )
    Invoke-LabScheduledTask -TaskName $TaskName -TaskPath $TaskPath
}

# Runs a task's actions as the Task Scheduler does when a trigger fires: `-File` runs the script
# file (so $PSScriptRoot is its folder), `-Command`/`-EncodedCommand` the text. LastRunTime and
# LastTaskResult (Get-ScheduledTaskInfo's names) are recorded on the task while it still exists.
function Invoke-LabScheduledTask {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$TaskName, [string]$TaskPath)
    $state = Read-LabState
    $notFound = [System.Collections.Generic.List[object]]::new()
    $paths = if ($TaskPath) { @($TaskPath) } else { $null }
    $tasks = Select-LabTask $state @($TaskName) $paths $notFound
    Write-LabErrors $PSCmdlet $notFound
    foreach ($t in $tasks) {
        $t.lastRunTime = ConvertTo-LabTimestamp ([DateTime]::UtcNow)
        $t.state = 'Running'
        Save-LabState $state
        $code = 0
        foreach ($a in $t.actions) {
            $ps = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
            try {
                $file = Get-LabTaskFile $a
                if ($null -ne $file) { [void]$ps.AddCommand($file) }
                else {
                    $text = Get-LabTaskScript $a
                    if ($null -eq $text) { continue }
                    [void]$ps.AddScript($text)
                }
                [void]$ps.Invoke()
                if ($ps.HadErrors) { $code = 1 }
            }
            catch { $code = 1 }
            finally { $ps.Dispose() }
        }
        $after = Read-LabState
        foreach ($still in @($after.scheduledTasks | Where-Object { $_.taskName -eq $t.taskName -and $_.taskPath -eq $t.taskPath })) {
            $still.state = 'Ready'
            $still.lastTaskResult = $code
        }
        Save-LabState $after
    }
}

# The script file of a powershell.exe/pwsh `-File` action, or $null.
function Get-LabTaskFile {
    param([System.Collections.IDictionary]$Action)
    if ([IO.Path]::GetFileNameWithoutExtension([string]$Action.execute) -notin 'powershell', 'pwsh') { return $null }
    $m = [regex]::Match((Get-LabRuleField $Action 'arguments' ''), '(?i)(?:^|\s)-(?:File|f)\s+("([^"]+)"|(\S+))')
    if (-not $m.Success) { return $null }
    if ($m.Groups[2].Success) { return $m.Groups[2].Value }
    return $m.Groups[3].Value
}
