@{
    RootModule        = 'PSRemedyLab.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '6f0c2c2e-6a57-4c1f-9d0e-3b1f4f8f2a11'
    Author            = 'psremedy'
    Description       = 'psremedy lab: the Windows cmdlets the RDP playbook uses, simulated over a JSON host state (lab/STATE.md).'
    PowerShellVersion = '5.1'
    FunctionsToExport = @(
        'Get-NetFirewallRule', 'Enable-NetFirewallRule', 'Disable-NetFirewallRule', 'Set-NetFirewallRule', 'New-NetFirewallRule',
        'Remove-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallProfile', 'Set-NetFirewallProfile',
        'Get-NetAdapter', 'Restart-NetAdapter', 'Disable-NetAdapter', 'Enable-NetAdapter',
        'Get-NetIPAddress', 'Get-NetRoute', 'Find-NetRoute', 'Get-NetIPConfiguration', 'Get-NetTCPConnection', 'Get-NetConnectionProfile',
        'Get-Service', 'Start-Service', 'Stop-Service', 'Restart-Service', 'Set-Service',
        'Test-Path', 'Get-Item', 'Get-ChildItem', 'New-Item', 'Remove-Item',
        'Get-ItemProperty', 'Get-ItemPropertyValue', 'Set-ItemProperty', 'New-ItemProperty', 'Remove-ItemProperty',
        'New-SelfSignedCertificate',
        'Get-CimInstance', 'Set-CimInstance', 'Invoke-CimMethod',
        'Get-WinEvent',
        'New-ScheduledTaskAction', 'New-ScheduledTaskTrigger', 'New-ScheduledTaskPrincipal', 'New-ScheduledTaskSettingsSet',
        'Register-ScheduledTask', 'Unregister-ScheduledTask', 'Get-ScheduledTask', 'Start-ScheduledTask', 'Invoke-LabScheduledTask',
        'Get-Date'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
