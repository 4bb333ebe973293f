# Get-WinEvent over state.events: -FilterHashtable, -LogName, -ProviderName, -ListLog.

$script:KnownLogs = @('Application', 'System', 'Security', 'Setup',
    'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
    'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin',
    'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
    'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
    'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Admin')
$script:KnownProviders = @('Schannel', 'Service Control Manager', 'TermService', 'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
    'Microsoft-Windows-TerminalServices-LocalSessionManager', 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', 'EventLog',
    'Microsoft-Windows-Kernel-General', 'Microsoft-Windows-Security-Auditing', 'Microsoft-Windows-Winlogon')
$script:LevelNames = @{ 0 = 'Information'; 1 = 'Critical'; 2 = 'Error'; 3 = 'Warning'; 4 = 'Information'; 5 = 'Verbose' }

function ConvertTo-LabEventObject {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Event)
    $p = [ordered]@{
        Message              = [string]$Event.message
        Id                   = [int]$Event.id
        Version              = [byte]0
        Qualifiers           = $null
        Level                = [byte]$Event.level
        Task                 = [int]0
        Opcode               = [int16]0
        Keywords             = [long]0
        RecordId             = [long](Get-LabRuleField $Event 'recordId' '0')
        ProviderName         = [string]$Event.providerName
        ProviderId           = $null
        LogName              = [string]$Event.logName
        ProcessId            = [int]0
        ThreadId             = [int]0
        MachineName          = Get-LabFqdn $State
        UserId               = $null
        TimeCreated          = ConvertFrom-LabTimestamp $Event.timeCreated
        ActivityId           = $null
        RelatedActivityId    = $null
        ContainerLog         = [string]$Event.logName
        MatchedQueryIds      = [int[]]@()
        Bookmark             = $null
        LevelDisplayName     = $script:LevelNames[[int]$Event.level]
        OpcodeDisplayName    = 'Info'
        TaskDisplayName      = $null
        KeywordsDisplayNames = [string[]]@()
        Properties           = @()
    }
    return New-LabObject -TypeName @('System.Diagnostics.Eventing.Reader.EventLogRecord', 'System.Diagnostics.Eventing.Reader.EventRecord', 'System.Object') -Property $p
}

function Get-LabFilterValues {
    param([hashtable]$Filter, [string]$Key)
    foreach ($k in $Filter.Keys) { if ($k -eq $Key) { return @($Filter[$k]) } }
    return $null
}

function Get-WinEvent {
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'ListLogSet', Mandatory, Position = 0)][AllowEmptyCollection()][string[]]$ListLog,
        [Parameter(ParameterSetName = 'ListProviderSet', Mandatory, Position = 0)][AllowEmptyCollection()][string[]]$ListProvider,
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$LogName,
        [Parameter(ParameterSetName = 'GetProviderSet', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$ProviderName,
        [Parameter(ParameterSetName = 'HashQuerySet', Mandatory, Position = 0)][hashtable[]]$FilterHashtable,
        [Parameter(ParameterSetName = 'XmlQuerySet', Mandatory, Position = 0)][xml]$FilterXml,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][string]$FilterXPath,
        [long]$MaxEvents = -1,
        [Alias('Cn')][string]$ComputerName,
        [pscredential]$Credential,
        [switch]$Force,
        [switch]$Oldest
    )
    process {
        $state = Read-LabState -ReadOnly
        $logs = [System.Collections.Generic.List[string]]::new()
        foreach ($l in $script:KnownLogs) { $logs.Add($l) }
        foreach ($e in $state.events) { if (-not ($logs | Where-Object { $_ -eq $e.logName })) { $logs.Add([string]$e.logName) } }
        $providers = [System.Collections.Generic.List[string]]::new()
        foreach ($pr in $script:KnownProviders) { $providers.Add($pr) }
        foreach ($e in $state.events) { if (-not ($providers | Where-Object { $_ -eq $e.providerName })) { $providers.Add([string]$e.providerName) } }

        if ($PSCmdlet.ParameterSetName -eq 'ListLogSet') {
            foreach ($pattern in $ListLog) {
                $hits = @($logs | Where-Object { Test-LabLike $_ $pattern })
                if ($hits.Count -eq 0 -and -not (Test-LabWildcard $pattern)) {
                    $PSCmdlet.WriteError((New-LabErrorRecord -Message "There is not an event log on the localhost computer that matches `"$pattern`"." -ErrorId 'NoMatchingLogsFound' `
                                -Category ObjectNotFound -TargetObject $pattern -OriginatorType 'Microsoft.PowerShell.Commands.GetWinEventCommand'))
                }
                foreach ($h in $hits) {
                    $count = @($state.events | Where-Object { $_.logName -eq $h }).Count
                    New-LabObject -TypeName @('System.Diagnostics.Eventing.Reader.EventLogConfiguration', 'System.Object') -Property ([ordered]@{
                            LogName = $h; LogMode = 'Circular'; MaximumSizeInBytes = [long]20971520; RecordCount = [long]$count; IsEnabled = $true
                            LogType = $(if ($h -like '*/*') { 'Operational' } else { 'Administrative' }); FileSize = [long](69632 + 1024 * $count); IsLogFull = $false
                        })
                }
            }
            return
        }

        $filters = @()
        switch ($PSCmdlet.ParameterSetName) {
            'HashQuerySet' { $filters = @($FilterHashtable) }
            'GetProviderSet' { $filters = @(@{ ProviderName = $ProviderName }) }
            default { $filters = @(@{ LogName = $(if ($LogName) { $LogName } else { @('*') }) }) }
        }
        $selected = [System.Collections.Generic.List[object]]::new()
        foreach ($f in $filters) {
            $wantLogs = Get-LabFilterValues $f 'LogName'
            $wantProviders = Get-LabFilterValues $f 'ProviderName'
            foreach ($l in @($wantLogs)) {
                if ($null -ne $l -and -not (Test-LabWildcard $l) -and -not ($logs | Where-Object { $_ -eq $l })) {
                    $PSCmdlet.WriteError((New-LabErrorRecord -Message "There is not an event log on the localhost computer that matches `"$l`"." -ErrorId 'NoMatchingLogsFound' `
                                -Category ObjectNotFound -TargetObject $l -OriginatorType 'Microsoft.PowerShell.Commands.GetWinEventCommand'))
                    return
                }
            }
            foreach ($pr in @($wantProviders)) {
                if ($null -ne $pr -and -not (Test-LabWildcard $pr) -and -not ($providers | Where-Object { $_ -eq $pr })) {
                    $PSCmdlet.WriteError((New-LabErrorRecord -Message "There is not an event provider on the localhost computer that matches `"$pr`"." -ErrorId 'NoMatchingProvidersFound' `
                                -Category ObjectNotFound -TargetObject $pr -OriginatorType 'Microsoft.PowerShell.Commands.GetWinEventCommand'))
                    return
                }
            }
            $ids = Get-LabFilterValues $f 'Id'
            $levels = Get-LabFilterValues $f 'Level'
            $start = Get-LabFilterValues $f 'StartTime'
            $end = Get-LabFilterValues $f 'EndTime'
            foreach ($e in $state.events) {
                if ($wantLogs -and -not @($wantLogs | Where-Object { Test-LabLike $e.logName $_ }).Count) { continue }
                if ($wantProviders -and -not @($wantProviders | Where-Object { Test-LabLike $e.providerName $_ }).Count) { continue }
                if ($ids -and -not @($ids | Where-Object { [long]$_ -eq [long]$e.id }).Count) { continue }
                if ($levels -and -not @($levels | Where-Object { [long]$_ -eq [long]$e.level }).Count) { continue }
                $time = ConvertFrom-LabTimestamp $e.timeCreated
                if ($start -and $time -lt [datetime]$start[0]) { continue }
                if ($end -and $time -gt [datetime]$end[0]) { continue }
                if (-not $selected.Contains($e)) { $selected.Add($e) }
            }
        }
        if ($selected.Count -eq 0) {
            $PSCmdlet.WriteError((New-LabErrorRecord -Message 'No events were found that match the specified selection criteria.' -ErrorId 'NoMatchingEventsFound' `
                        -Category ObjectNotFound -TargetObject $null -OriginatorType 'Microsoft.PowerShell.Commands.GetWinEventCommand'))
            return
        }
        $ordered = [object[]]$selected.ToArray()
        $keys = [string[]]@($ordered | ForEach-Object { '{0}|{1:D12}' -f $_.timeCreated, [long](Get-LabRuleField $_ 'recordId' '0') })
        [array]::Sort($keys, $ordered)
        if (-not $Oldest) { [array]::Reverse($ordered) }
        if ($MaxEvents -gt 0 -and $ordered.Count -gt $MaxEvents) { $ordered = $ordered[0..($MaxEvents - 1)] }
        foreach ($e in $ordered) { ConvertTo-LabEventObject $state $e }
    }
}
