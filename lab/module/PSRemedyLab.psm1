# The lab's simulated Windows host: the Windows cmdlets the RDP playbook's scripts use, over the
# JSON host state named by PSREMEDY_LAB_STATE (format: lab/STATE.md). Uses only the engine's core
# cmdlets and .NET, so it runs in the project's own host as in pwsh.
Set-StrictMode -Version Latest

$areaFolder = [IO.Path]::Combine($PSScriptRoot, 'areas')
. ([IO.Path]::Combine($areaFolder, 'types.ps1'))
Initialize-LabTypes
Initialize-LabTypeData
foreach ($area in 'state', 'errors', 'clock', 'provider-paths', 'firewall', 'firewall-filters', 'netadapter', 'nettcpip', 'services',
    'registry', 'certificates', 'certstores', 'keyfiles', 'fileacls', 'cim', 'events', 'scheduledtasks', 'items') {
    . ([IO.Path]::Combine($areaFolder, "$area.ps1"))
}

# The simulated cmdlets only (the same set whether the .psd1 or this .psm1 is imported).
Export-ModuleMember -Function @(
    'Get-NetFirewallRule', 'Enable-NetFirewallRule', 'Disable-NetFirewallRule', 'Set-NetFirewallRule', 'New-NetFirewallRule',
    'Remove-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallApplicationFilter', 'Get-NetFirewallServiceFilter',
    'Get-NetFirewallAddressFilter', 'Get-NetFirewallInterfaceFilter', 'Get-NetFirewallSecurityFilter',
    'Get-NetFirewallProfile', 'Set-NetFirewallProfile',
    'Get-NetAdapter', 'Restart-NetAdapter', 'Disable-NetAdapter', 'Enable-NetAdapter',
    'Get-NetIPAddress', 'Get-NetRoute', 'Find-NetRoute', 'Get-NetIPConfiguration', 'Get-NetTCPConnection', 'Get-NetConnectionProfile',
    'Get-Service', 'Start-Service', 'Stop-Service', 'Restart-Service', 'Set-Service',
    'Test-Path', 'Get-Item', 'Get-ChildItem', 'New-Item', 'Remove-Item', 'Move-Item',
    'Get-ItemProperty', 'Get-ItemPropertyValue', 'Set-ItemProperty', 'New-ItemProperty', 'Remove-ItemProperty',
    'New-SelfSignedCertificate', 'Get-Acl', 'Set-Acl',
    'Get-CimInstance', 'Set-CimInstance', 'Invoke-CimMethod',
    'Get-WinEvent',
    'New-ScheduledTaskAction', 'New-ScheduledTaskTrigger', 'New-ScheduledTaskPrincipal', 'New-ScheduledTaskSettingsSet',
    'Register-ScheduledTask', 'Unregister-ScheduledTask', 'Get-ScheduledTask', 'Start-ScheduledTask', 'Invoke-LabScheduledTask',
    'Get-Date'
)

# The host's disk: %ProgramData% is a real folder beside the state file (lab/STATE.md, "Disk"),
# so files a script writes there belong to this host and survive its sessions.
$labStatePath = [Environment]::GetEnvironmentVariable('PSREMEDY_LAB_STATE')
if ($labStatePath) {
    $labDisk = [IO.Path]::ChangeExtension($labStatePath.Split([IO.Path]::PathSeparator)[0], '.disk')
    $env:ProgramData = [IO.Path]::Combine($labDisk, 'ProgramData')
    [void][IO.Directory]::CreateDirectory($env:ProgramData)
}

# AppLocker / WDAC enforcement: the host's sessions run in the state's languageMode (set last:
# exporting needs the module's own mode). The lab's functions keep FullLanguage; scripts sent
# to the session do not.
$labStatePath = [Environment]::GetEnvironmentVariable('PSREMEDY_LAB_STATE')
if ($labStatePath -and [IO.File]::Exists($labStatePath)) {
    $labState = Read-LabState $labStatePath -ReadOnly
    if ($labState.Contains('languageMode') -and [string]$labState.languageMode -ne 'FullLanguage') {
        $ExecutionContext.SessionState.LanguageMode = [string]$labState.languageMode
    }
}
