@{
    RootModule        = 'PSRemedyLab.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '6f0c2c2e-6a57-4c1f-9d0e-3b1f4f8f2a11'
    Author            = 'psremedy'
    Description       = 'psremedy lab: the Windows cmdlets the RDP playbook uses, simulated over a JSON host state (lab/STATE.md).'
    PowerShellVersion = '5.1'
    FunctionsToExport = '*'
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
