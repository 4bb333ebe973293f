# NetAdapter over state.netAdapters. Disabling or restarting the adapter that carries the
# management connection ends this host process after saving, so the remote session drops.
# Enabling or restarting brings an adapter to Up only when it has link (cableConnected; absent =
# true unless it is Disconnected): a restart does not plug in a cable.

$script:NetNamespace = 'ROOT/StandardCimv2'

function ConvertTo-LabNetAdapterObject {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Adapter)
    $status = [string]$Adapter.status
    $up = $status -eq 'Up'
    $speedText = if ($up) { Get-LabRuleField $Adapter 'linkSpeed' '1 Gbps' } else { '0 bps' }
    $speed = [uint64]0
    $m = [regex]::Match($speedText, '^([\d.]+)\s*(G|M|K)?bps$')
    if ($m.Success) { $speed = [uint64]([double]$m.Groups[1].Value * @{ 'G' = 1e9; 'M' = 1e6; 'K' = 1e3; '' = 1 }[$m.Groups[2].Value]) }
    $p = [ordered]@{
        Name                       = [string]$Adapter.name
        InterfaceDescription       = [string]$Adapter.interfaceDescription
        InterfaceIndex             = [uint32]$Adapter.ifIndex
        Status                     = $status
        MacAddress                 = [string]$Adapter.macAddress
        LinkSpeed                  = $speedText
        Speed                      = $speed
        ReceiveLinkSpeed           = $speed
        TransmitLinkSpeed          = $speed
        MediaConnectionState       = $(switch ($status) { 'Up' { 'Connected' } 'Disconnected' { 'Disconnected' } default { 'Unknown' } })
        InterfaceOperationalStatus = $(if ($up) { 'Up' } else { 'Down' })
        AdminStatus                = $(if ($status -eq 'Disabled') { 'Down' } else { 'Up' })
        ifOperStatus               = $(if ($up) { 'Up' } else { 'Down' })
        MediaType                  = '802.3'
        PhysicalMediaType          = '802.3'
        NdisPhysicalMedium         = [uint32]14
        Virtual                    = $false
        Hidden                     = $false
        HardwareInterface          = $true
        ConnectorPresent           = $true
        FullDuplex                 = $true
        InterfaceGuid              = Get-LabRuleField $Adapter 'interfaceGuid' '{00000000-0000-0000-0000-000000000000}'
        InterfaceName              = "ethernet_$(32767 + [int]$Adapter.ifIndex)"
        MtuSize                    = [uint32](Get-LabRuleField $Adapter 'mtu' '1500')
        PermanentAddress           = ([string]$Adapter.macAddress).Replace('-', '')
        DriverDescription          = [string]$Adapter.interfaceDescription
        DriverInformation          = 'Driver Date 2006-06-21 Version 10.0.20348.1 NDIS 6.85'
        DriverVersionString        = '10.0.20348.1'
        DeviceID                   = Get-LabRuleField $Adapter 'interfaceGuid' '{00000000-0000-0000-0000-000000000000}'
        SystemName                 = Get-LabFqdn $State
    }
    $alias = [ordered]@{ ifAlias = 'Name'; InterfaceAlias = 'Name'; ifIndex = 'InterfaceIndex'; ifDesc = 'InterfaceDescription'; ifName = 'InterfaceName'; LinkLayerAddress = 'MacAddress'; DriverVersion = 'DriverVersionString' }
    return New-LabCimObject $script:NetNamespace 'MSFT_NetAdapter' $p $alias
}

function Select-LabNetAdapter {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Bound, [System.Collections.Generic.List[object]]$NotFound)
    $adapters = @($State.netAdapters)
    if (Test-LabBound $Bound 'InputObject') {
        $names = @($Bound.InputObject | ForEach-Object { $_.Name })
        return , [System.Collections.Generic.List[object]]@($adapters | Where-Object { $names -contains $_.name })
    }
    if (Test-LabBound $Bound 'Name') { return Select-LabByValue $adapters { $args[0].name } $Bound.Name 'MSFT_NetAdapter' 'Name' $NotFound }
    if (Test-LabBound $Bound 'InterfaceDescription') { return Select-LabByValue $adapters { $args[0].interfaceDescription } $Bound.InterfaceDescription 'MSFT_NetAdapter' 'InterfaceDescription' $NotFound }
    if (Test-LabBound $Bound 'InterfaceIndex') { return Select-LabByValue $adapters { [string]$args[0].ifIndex } @($Bound.InterfaceIndex | ForEach-Object { [string]$_ }) 'MSFT_NetAdapter' 'InterfaceIndex' $NotFound }
    return , [System.Collections.Generic.List[object]]@($adapters)
}

function Get-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)][Alias('ifAlias', 'InterfaceAlias')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory, ValueFromPipelineByPropertyName)][Alias('ifDesc')][string[]]$InterfaceDescription,
        [Parameter(ParameterSetName = 'ByIfIndex', Mandatory, ValueFromPipelineByPropertyName)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [switch]$IncludeHidden,
        [switch]$Physical,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $notFound = [System.Collections.Generic.List[object]]::new()
        foreach ($a in (Select-LabNetAdapter $state $PSBoundParameters $notFound)) { ConvertTo-LabNetAdapterObject $state $a }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Test-LabAdapterLink {
    param([System.Collections.IDictionary]$Adapter)
    if ($Adapter.Contains('cableConnected') -and $null -ne $Adapter.cableConnected) { return [bool]$Adapter.cableConnected }
    return [string]$Adapter.status -ne 'Disconnected'
}

function Invoke-LabManagementDrop {
    if ([Environment]::GetEnvironmentVariable('PSREMEDY_LAB_MANAGEMENT_DROP') -eq 'none') { return }
    # Like the network going away: no goodbye to the client; the state is already on disk.
    [System.Diagnostics.Process]::GetCurrentProcess().Kill()
}

function Set-LabAdapterStatus {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [string]$Action)
    $state = Read-LabState
    $notFound = [System.Collections.Generic.List[object]]::new()
    $adapters = Select-LabNetAdapter $state $Bound $notFound
    $changed = [System.Collections.Generic.List[object]]::new()
    foreach ($a in $adapters) {
        if (-not $Cmdlet.ShouldProcess("$($a.name)", $Action)) { continue }
        switch ($Action) {
            'Disable' {
                # A disabled adapter counts as having link unless it had none before.
                if (-not $a.Contains('cableConnected') -and $a.status -eq 'Disconnected') { $a.cableConnected = $false }
                $a.status = 'Disabled'
            }
            default { if ($a.status -ne 'Not Present') { $a.status = $(if (Test-LabAdapterLink $a) { 'Up' } else { 'Disconnected' }) } }
        }
        $changed.Add($a)
    }
    if ($changed.Count -gt 0) { Save-LabState $state }
    if ((Test-LabBound $Bound 'PassThru') -and $Bound.PassThru) { foreach ($a in $adapters) { ConvertTo-LabNetAdapterObject $state $a } }
    Write-LabErrors $Cmdlet $notFound
    if ($Action -ne 'Enable' -and @($changed | Where-Object { $_.Contains('carriesManagement') -and $_.carriesManagement }).Count -gt 0) { Invoke-LabManagementDrop }
}

function Restart-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ifAlias', 'InterfaceAlias')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory, ValueFromPipelineByPropertyName)][Alias('ifDesc')][string[]]$InterfaceDescription,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter')][psobject[]]$InputObject,
        [switch]$IncludeHidden,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Set-LabAdapterStatus $PSCmdlet $PSBoundParameters 'Restart' }
}

function Disable-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ifAlias', 'InterfaceAlias')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory, ValueFromPipelineByPropertyName)][Alias('ifDesc')][string[]]$InterfaceDescription,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter')][psobject[]]$InputObject,
        [switch]$IncludeHidden,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Set-LabAdapterStatus $PSCmdlet $PSBoundParameters 'Disable' }
}

function Enable-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ifAlias', 'InterfaceAlias')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory, ValueFromPipelineByPropertyName)][Alias('ifDesc')][string[]]$InterfaceDescription,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter')][psobject[]]$InputObject,
        [switch]$IncludeHidden,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Set-LabAdapterStatus $PSCmdlet $PSBoundParameters 'Enable' }
}
