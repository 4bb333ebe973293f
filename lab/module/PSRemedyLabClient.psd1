@{
    RootModule        = 'PSRemedyLabClient.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '0b6b2f5d-3d4c-4a8e-8f7e-5c2a9d1e7b33'
    Author            = 'psremedy'
    Description       = 'psremedy lab, client side: Resolve-DnsName and Test-NetConnection over the lab hosts (lab/STATE.md).'
    PowerShellVersion = '5.1'
    FunctionsToExport = '*'
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
