# The lab's simulated Windows host: the Windows cmdlets the RDP playbook's scripts use, over the
# JSON host state named by PSREMEDY_LAB_STATE (format: lab/STATE.md). Uses only the engine's core
# cmdlets and .NET, so it runs in the project's own host as in pwsh.
Set-StrictMode -Version Latest

$areaFolder = [IO.Path]::Combine($PSScriptRoot, 'areas')
. ([IO.Path]::Combine($areaFolder, 'types.ps1'))
Initialize-LabTypes
Initialize-LabTypeData
foreach ($area in 'state', 'errors', 'clock', 'provider-paths', 'firewall', 'netadapter', 'nettcpip', 'services',
    'registry', 'certificates', 'cim', 'events', 'scheduledtasks', 'items') {
    . ([IO.Path]::Combine($areaFolder, "$area.ps1"))
}
