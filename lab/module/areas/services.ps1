# Services over state.services: Get/Start/Stop/Restart/Set-Service with dependencies, and the
# RDP certificate renewal Windows does when TermService or SessionEnv starts.

$script:ServiceTypeNames = @('System.Service.ServiceController#StartupType', 'System.ServiceProcess.ServiceController',
    'System.ComponentModel.Component', 'System.MarshalByRefObject', 'System.Object')

function Find-LabService {
    param([System.Collections.IDictionary]$State, [string]$Name)
    foreach ($s in $State.services) { if ([string]::Equals($s.name, $Name, [StringComparison]::OrdinalIgnoreCase)) { return $s } }
    return $null
}

function Get-LabDependents {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service)
    return @($State.services | Where-Object { $d = $_; $d.Contains('dependsOn') -and @($d.dependsOn | Where-Object { $_ -eq $Service.name }).Count -gt 0 })
}

function Get-LabDependencies {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service)
    if (-not $Service.Contains('dependsOn')) { return @() }
    return @($Service.dependsOn | ForEach-Object { Find-LabService $State $_ } | Where-Object { $null -ne $_ })
}

function ConvertTo-LabServiceObject {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service)
    $startupType = [string]$Service.startType
    if ($startupType -eq 'Automatic' -and $Service.Contains('delayedAutoStart') -and $Service.delayedAutoStart) { $startupType = 'AutomaticDelayedStart' }
    $running = [string]$Service.status -eq 'Running'
    $p = [ordered]@{
        UserName            = Get-LabRuleField $Service 'userName' 'LocalSystem'
        Description         = Get-LabRuleField $Service 'description' ''
        DelayedAutoStart    = [bool]($Service.Contains('delayedAutoStart') -and $Service.delayedAutoStart)
        BinaryPathName      = Get-LabRuleField $Service 'binaryPathName' 'C:\Windows\system32\svchost.exe -k netsvcs -p'
        StartupType         = ConvertTo-LabEnum 'Microsoft.PowerShell.Commands.ServiceStartupType' $startupType
        Name                = [string]$Service.name
        ServiceName         = [string]$Service.name
        DisplayName         = [string]$Service.displayName
        Status              = ConvertTo-LabEnum 'System.ServiceProcess.ServiceControllerStatus' $Service.status
        StartType           = ConvertTo-LabEnum 'System.ServiceProcess.ServiceStartMode' $Service.startType
        CanPauseAndContinue = $false
        CanShutdown         = $false
        CanStop             = $running
        MachineName         = '.'
        ServiceType         = ConvertTo-LabEnum 'System.ServiceProcess.ServiceType' 'Win32ShareProcess'
        ServiceHandle       = $null
        Site                = $null
        Container           = $null
    }
    $object = New-LabObject -TypeName $script:ServiceTypeNames -Property $p -Alias ([ordered]@{ RequiredServices = 'ServicesDependedOn' })
    # Related services are computed when read, from the same snapshot, so cycles cost nothing.
    $snapshot = $State
    $self = $Service
    $build = ${function:ConvertTo-LabServiceObject}
    $dependents = ${function:Get-LabDependents}
    $dependencies = ${function:Get-LabDependencies}
    Add-LabMember $object ([System.Management.Automation.PSScriptProperty]::new('DependentServices', { , @(& $dependents $snapshot $self | ForEach-Object { & $build $snapshot $_ }) }.GetNewClosure()))
    Add-LabMember $object ([System.Management.Automation.PSScriptProperty]::new('ServicesDependedOn', { , @(& $dependencies $snapshot $self | ForEach-Object { & $build $snapshot $_ }) }.GetNewClosure()))
    Add-LabMember $object ([System.Management.Automation.PSScriptMethod]::new('ToString', { return $this.ServiceName }))
    return $object
}

function New-LabServiceNotFoundError {
    param([string]$Name, [string]$CommandClass)
    return New-LabErrorRecord -Message "Cannot find any service with service name '$Name'." -ErrorId 'NoServiceFoundForGivenName' -Category ObjectNotFound `
        -TargetObject $Name -ExceptionType 'Microsoft.PowerShell.Commands.ServiceCommandException' -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"
}

# The services a Get/Start/Stop/Restart-Service call designates, plus not-found errors.
function Select-LabService {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Bound, [string]$CommandClass, [System.Collections.Generic.List[object]]$Errors)
    $all = @($State.services)
    $result = [System.Collections.Generic.List[object]]::new()
    if (Test-LabBound $Bound 'InputObject') {
        foreach ($o in @($Bound.InputObject)) { $s = Find-LabService $State ([string]$o.ServiceName); if ($s) { $result.Add($s) } }
    }
    elseif (Test-LabBound $Bound 'DisplayName') {
        foreach ($dn in @($Bound.DisplayName)) {
            $hits = @($all | Where-Object { Test-LabLike $_.displayName $dn })
            foreach ($h in $hits) { if (-not $result.Contains($h)) { $result.Add($h) } }
            if ($hits.Count -eq 0 -and -not (Test-LabWildcard $dn)) {
                $Errors.Add((New-LabErrorRecord -Message "Cannot find any service with display name '$dn'." -ErrorId 'NoServiceFoundForGivenDisplayName' `
                            -Category ObjectNotFound -TargetObject $dn -ExceptionType 'Microsoft.PowerShell.Commands.ServiceCommandException' -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"))
            }
        }
    }
    else {
        $names = if (Test-LabBound $Bound 'Name') { @($Bound.Name) } else { @('*') }
        foreach ($n in $names) {
            $hits = @($all | Where-Object { Test-LabLike $_.name $n })
            foreach ($h in $hits) { if (-not $result.Contains($h)) { $result.Add($h) } }
            if ($hits.Count -eq 0 -and -not (Test-LabWildcard $n)) { $Errors.Add((New-LabServiceNotFoundError $n $CommandClass)) }
        }
    }
    if (Test-LabBound $Bound 'Include') { $result = [System.Collections.Generic.List[object]]@($result | Where-Object { $s = $_; @($Bound.Include | Where-Object { Test-LabLike $s.name $_ }).Count -gt 0 }) }
    if (Test-LabBound $Bound 'Exclude') { $result = [System.Collections.Generic.List[object]]@($result | Where-Object { $s = $_; @($Bound.Exclude | Where-Object { Test-LabLike $s.name $_ }).Count -eq 0 }) }
    return , $result
}

function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline)][PSTypeName('System.ServiceProcess.ServiceController')][psobject[]]$InputObject,
        [Alias('DS')][switch]$DependentServices,
        [Alias('SDO', 'ServicesDependedOn')][switch]$RequiredServices,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process {
        $state = Read-LabState -ReadOnly
        $errors = [System.Collections.Generic.List[object]]::new()
        foreach ($s in (Select-LabService $state $PSBoundParameters 'GetServiceCommand' $errors)) {
            if ($DependentServices) { foreach ($d in (Get-LabDependents $state $s)) { ConvertTo-LabServiceObject $state $d } }
            if ($RequiredServices) { foreach ($d in (Get-LabDependencies $state $s)) { ConvertTo-LabServiceObject $state $d } }
            if (-not $DependentServices -and -not $RequiredServices) { ConvertTo-LabServiceObject $state $s }
        }
        Write-LabErrors $PSCmdlet $errors
    }
}

function Get-LabServiceLabel {
    param([System.Collections.IDictionary]$Service)
    return "$($Service.displayName) ($($Service.name))"
}

# Starts a service and, first, what it depends on; returns an error record or $null.
function Start-LabService {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service, [string]$CommandClass)
    if ($Service.status -eq 'Running') { return $null }
    $reason = $null
    if ($Service.startType -eq 'Disabled') { $reason = "Cannot start service $($Service.name) on computer '.'." }
    elseif ($Service.Contains('startError') -and $Service.startError) { $reason = [string]$Service.startError }
    else {
        foreach ($d in (Get-LabDependencies $State $Service)) {
            $failed = Start-LabService $State $d $CommandClass
            if ($failed) { $reason = "Cannot start service $($Service.name) on computer '.'."; break }
        }
    }
    if ($reason) {
        return New-LabErrorRecord -Message "Service '$(Get-LabServiceLabel $Service)' cannot be started due to the following error: $reason" -ErrorId 'CouldNotStartService' `
            -Category OpenError -TargetObject $Service.name -ExceptionType 'Microsoft.PowerShell.Commands.ServiceCommandException' -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"
    }
    $Service.status = 'Running'
    Add-LabEvent $State -LogName 'System' -ProviderName 'Service Control Manager' -Id 7036 -Level 4 -Message "The $($Service.displayName) service entered the running state."
    if ($Service.name -in 'TermService', 'SessionEnv') { [void](Update-LabRdpSelfSignedCertificate $State) }
    return $null
}

# Stops a service (and, with -Force, its running dependents); returns the stopped services or an error record.
function Stop-LabService {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service, [bool]$Force, [string]$CommandClass, [System.Collections.Generic.List[object]]$Stopped)
    $running = @(Get-LabDependents $State $Service | Where-Object { $_.status -ne 'Stopped' })
    if ($running.Count -gt 0 -and -not $Force) {
        return New-LabErrorRecord -Message "Cannot stop service '$(Get-LabServiceLabel $Service)' because it has dependent services. It can only be stopped if the Force flag is set." `
            -ErrorId 'ServiceHasDependentServices' -Category InvalidOperation -TargetObject $Service.name -ExceptionType 'Microsoft.PowerShell.Commands.ServiceCommandException' `
            -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"
    }
    foreach ($d in $running) { [void](Stop-LabService $State $d $true $CommandClass $Stopped) }
    if ($Service.status -ne 'Stopped') {
        $Service.status = 'Stopped'
        $Stopped.Add($Service)
        Add-LabEvent $State -LogName 'System' -ProviderName 'Service Control Manager' -Id 7036 -Level 4 -Message "The $($Service.displayName) service entered the stopped state."
    }
    return $null
}

function Invoke-LabServiceAction {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [string]$Action, [string]$CommandClass)
    $state = Read-LabState
    $errors = [System.Collections.Generic.List[object]]::new()
    $services = Select-LabService $state $Bound $CommandClass $errors
    $force = (Test-LabBound $Bound 'Force') -and $Bound.Force
    $changed = $false
    foreach ($s in $services) {
        if (-not $Cmdlet.ShouldProcess((Get-LabServiceLabel $s), $Cmdlet.MyInvocation.MyCommand.Name)) { continue }
        $changed = $true
        $failure = $null
        if ($Action -in 'Stop', 'Restart') {
            $stopped = [System.Collections.Generic.List[object]]::new()
            $failure = Stop-LabService $state $s $force $CommandClass $stopped
            if (-not $failure -and $Action -eq 'Restart') {
                $failure = Start-LabService $state $s $CommandClass
                # Restart-Service starts again the dependents it had to stop.
                foreach ($d in $stopped) { if (-not $failure -and $d -ne $s) { [void](Start-LabService $state $d $CommandClass) } }
            }
        }
        else { $failure = Start-LabService $state $s $CommandClass }
        if ($failure) { $errors.Add($failure) }
    }
    if ($changed) { Save-LabState $state }
    if ((Test-LabBound $Bound 'PassThru') -and $Bound.PassThru) { foreach ($s in $services) { ConvertTo-LabServiceObject $state $s } }
    Write-LabErrors $Cmdlet $errors
}

function Start-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('System.ServiceProcess.ServiceController')][psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-LabServiceAction $PSCmdlet $PSBoundParameters 'Start' 'StartServiceCommand' }
}

function Stop-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('System.ServiceProcess.ServiceController')][psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [switch]$Force,
        [switch]$NoWait,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-LabServiceAction $PSCmdlet $PSBoundParameters 'Stop' 'StopServiceCommand' }
}

function Restart-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('System.ServiceProcess.ServiceController')][psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [switch]$Force,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-LabServiceAction $PSCmdlet $PSBoundParameters 'Restart' 'RestartServiceCommand' }
}

function Set-Service {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName', 'SN')][string]$Name,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('System.ServiceProcess.ServiceController')][psobject]$InputObject,
        [Parameter(ValueFromPipelineByPropertyName)][string]$DisplayName,
        [Parameter(ValueFromPipelineByPropertyName)][string]$Description,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('StartMode', 'SM', 'ST', 'StartType')][Microsoft.PowerShell.Commands.ServiceStartupType]$StartupType,
        [Parameter(ValueFromPipelineByPropertyName)][ValidateSet('Running', 'Stopped', 'Paused')][string]$Status,
        [pscredential]$Credential,
        [string]$SecurityDescriptorSddl,
        [switch]$Force,
        [switch]$PassThru
    )
    process {
        $state = Read-LabState
        $serviceName = if ($InputObject) { [string]$InputObject.ServiceName } else { $Name }
        $service = Find-LabService $state $serviceName
        if (-not $service) {
            $PSCmdlet.WriteError((New-LabErrorRecord -Message "Service '$serviceName' was not found on computer '.'." -ErrorId 'InvalidOperationException' `
                        -Category ObjectNotFound -TargetObject $serviceName -ExceptionType 'System.InvalidOperationException' -OriginatorType 'Microsoft.PowerShell.Commands.SetServiceCommand'))
            return
        }
        if (-not $PSCmdlet.ShouldProcess((Get-LabServiceLabel $service), 'Set-Service')) { return }
        if ($PSBoundParameters.ContainsKey('DisplayName')) { $service.displayName = $DisplayName }
        if ($PSBoundParameters.ContainsKey('Description')) { $service.description = $Description }
        if ($PSBoundParameters.ContainsKey('StartupType')) {
            if ([string]$StartupType -eq 'AutomaticDelayedStart') { $service.startType = 'Automatic'; $service.delayedAutoStart = $true }
            else { $service.startType = [string]$StartupType; if ($service.Contains('delayedAutoStart')) { $service.delayedAutoStart = $false } }
        }
        $failure = $null
        if ($Status -eq 'Running') { $failure = Start-LabService $state $service 'SetServiceCommand' }
        elseif ($Status -eq 'Stopped') { $failure = Stop-LabService $state $service $Force.IsPresent 'SetServiceCommand' ([System.Collections.Generic.List[object]]::new()) }
        elseif ($Status -eq 'Paused') { $service.status = 'Paused' }
        Save-LabState $state
        if ($PassThru) { ConvertTo-LabServiceObject $state $service }
        if ($failure) { $PSCmdlet.WriteError($failure) }
    }
}
