# NetTCPIP: Get-NetIPAddress, Get-NetRoute, Find-NetRoute, Get-NetIPConfiguration and
# Get-NetTCPConnection, computed from the adapters (and, for listeners, the services).

function Get-LabIPInterfaces {
    param([System.Collections.IDictionary]$State)
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($a in $State.netAdapters) {
        if ($a.status -in 'Disabled', 'Not Present') { continue }
        $list.Add(@{ Alias = [string]$a.name; Index = [uint32]$a.ifIndex; Adapter = $a; Up = ($a.status -eq 'Up') })
    }
    $list.Add(@{ Alias = 'Loopback Pseudo-Interface 1'; Index = [uint32]1; Adapter = $null; Up = $true })
    return , $list
}

function New-LabIPAddressObject {
    param([hashtable]$Interface, [string]$Address, [int]$PrefixLength, [string]$Origin)
    $p = [ordered]@{
        IPAddress = $Address; InterfaceIndex = $Interface.Index; InterfaceAlias = $Interface.Alias; AddressFamily = 'IPv4'; Type = 'Unicast'
        PrefixLength = [byte]$PrefixLength; PrefixOrigin = $Origin; SuffixOrigin = $Origin
        AddressState = $(if ($Interface.Up) { 'Preferred' } else { 'Deprecated' })
        ValidLifetime = [timespan]::MaxValue; PreferredLifetime = [timespan]::MaxValue; SkipAsSource = $false; PolicyStore = 'ActiveStore'
    }
    return New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetIPAddress' $p ([ordered]@{ ifIndex = 'InterfaceIndex'; ifAlias = 'InterfaceAlias' })
}

function Get-LabIPAddresses {
    param([System.Collections.IDictionary]$State)
    foreach ($i in (Get-LabIPInterfaces $State)) {
        if ($null -eq $i.Adapter) { New-LabIPAddressObject $i '127.0.0.1' 8 'WellKnown'; continue }
        if (-not $i.Adapter.Contains('ipv4')) { continue }
        foreach ($addr in $i.Adapter.ipv4) { New-LabIPAddressObject $i ([string]$addr.address) ([int]$addr.prefixLength) (Get-LabRuleField $addr 'prefixOrigin' 'Manual') }
    }
}

function Get-NetIPAddress {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)][Alias('LocalAddress')][string[]]$IPAddress,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifAlias')][string[]]$InterfaceAlias,
        [ValidateSet('IPv4', 'IPv6')][string[]]$AddressFamily,
        [string[]]$Type,
        [string[]]$PrefixOrigin,
        [string[]]$SuffixOrigin,
        [string[]]$AddressState,
        [string]$PolicyStore,
        [switch]$IncludeAllCompartments,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $notFound = [System.Collections.Generic.List[object]]::new()
        $items = @(Get-LabIPAddresses $state)
        if ($AddressFamily -and $AddressFamily -notcontains 'IPv4') { $items = @() }
        if ($InterfaceAlias) { $items = Select-LabByValue $items { $args[0].InterfaceAlias } $InterfaceAlias 'MSFT_NetIPAddress' 'InterfaceAlias' $notFound }
        if ($InterfaceIndex) { $items = Select-LabByValue $items { [string]$args[0].InterfaceIndex } @($InterfaceIndex | ForEach-Object { [string]$_ }) 'MSFT_NetIPAddress' 'InterfaceIndex' $notFound }
        if ($IPAddress) { $items = Select-LabByValue $items { $args[0].IPAddress } $IPAddress 'MSFT_NetIPAddress' 'IPAddress' $notFound }
        if ($PrefixOrigin) { $items = @($items | Where-Object { $PrefixOrigin -contains $_.PrefixOrigin }) }
        if ($AddressState) { $items = @($items | Where-Object { $AddressState -contains $_.AddressState }) }
        $items
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Get-LabNetworkPrefix {
    param([string]$Address, [int]$PrefixLength)
    $bytes = [System.Net.IPAddress]::Parse($Address).GetAddressBytes()
    [array]::Reverse($bytes)
    $value = [BitConverter]::ToUInt32($bytes, 0)
    $mask = if ($PrefixLength -eq 0) { [uint32]0 } else { [uint32]([uint64]4294967295 -shl (32 - $PrefixLength) -band 4294967295) }
    $network = [BitConverter]::GetBytes([uint32]($value -band $mask))
    [array]::Reverse($network)
    return ([System.Net.IPAddress]::new($network).ToString() + "/$PrefixLength")
}

function New-LabRouteObject {
    param([hashtable]$Interface, [string]$Prefix, [string]$NextHop, [int]$Metric, [string]$Protocol)
    $p = [ordered]@{
        DestinationPrefix = $Prefix; NextHop = $NextHop; InterfaceIndex = $Interface.Index; InterfaceAlias = $Interface.Alias; AddressFamily = 'IPv4'
        RouteMetric = [uint16]$Metric; InterfaceMetric = [uint32]15; Protocol = $Protocol; State = 'Alive'; TypeOfRoute = [uint16]3; Publish = 'No'
        ValidLifetime = [timespan]::MaxValue; PreferredLifetime = [timespan]::MaxValue; Store = 'ActiveStore'; PolicyStore = 'ActiveStore'
    }
    return New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetRoute' $p ([ordered]@{ ifIndex = 'InterfaceIndex'; ifAlias = 'InterfaceAlias' })
}

function Get-LabRoutes {
    param([System.Collections.IDictionary]$State)
    foreach ($i in (Get-LabIPInterfaces $State)) {
        if (-not $i.Up) { continue }
        if ($null -eq $i.Adapter) { New-LabRouteObject $i '127.0.0.0/8' '0.0.0.0' 256 'Local'; continue }
        if ($i.Adapter.Contains('gateway') -and $i.Adapter.gateway) { New-LabRouteObject $i '0.0.0.0/0' ([string]$i.Adapter.gateway) 0 'NetMgmt' }
        if (-not $i.Adapter.Contains('ipv4')) { continue }
        foreach ($addr in $i.Adapter.ipv4) {
            New-LabRouteObject $i (Get-LabNetworkPrefix $addr.address ([int]$addr.prefixLength)) '0.0.0.0' 256 'Local'
            New-LabRouteObject $i "$($addr.address)/32" '0.0.0.0' 256 'Local'
        }
    }
}

function Get-NetRoute {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)][string[]]$DestinationPrefix,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifAlias')][string[]]$InterfaceAlias,
        [string[]]$NextHop,
        [ValidateSet('IPv4', 'IPv6')][string[]]$AddressFamily,
        [string]$PolicyStore,
        [switch]$IncludeAllCompartments,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $notFound = [System.Collections.Generic.List[object]]::new()
        $items = @(Get-LabRoutes $state)
        if ($AddressFamily -and $AddressFamily -notcontains 'IPv4') { $items = @() }
        if ($InterfaceAlias) { $items = Select-LabByValue $items { $args[0].InterfaceAlias } $InterfaceAlias 'MSFT_NetRoute' 'InterfaceAlias' $notFound }
        if ($InterfaceIndex) { $items = Select-LabByValue $items { [string]$args[0].InterfaceIndex } @($InterfaceIndex | ForEach-Object { [string]$_ }) 'MSFT_NetRoute' 'InterfaceIndex' $notFound }
        if ($DestinationPrefix) { $items = Select-LabByValue $items { $args[0].DestinationPrefix } $DestinationPrefix 'MSFT_NetRoute' 'DestinationPrefix' $notFound }
        if ($NextHop) { $items = @($items | Where-Object { $NextHop -contains $_.NextHop }) }
        $items
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Find-NetRoute {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)][string]$RemoteIPAddress,
        [string]$LocalIPAddress,
        [uint32]$InterfaceIndex,
        [object[]]$CimSession
    )
    process {
        $state = Read-LabState -ReadOnly
        $routes = @(Get-LabRoutes $state)
        $target = [System.Net.IPAddress]::Parse($RemoteIPAddress)
        $best = $null
        foreach ($r in $routes) {
            $parts = $r.DestinationPrefix.Split('/')
            if ((Get-LabNetworkPrefix $target.ToString() ([int]$parts[1])) -eq $r.DestinationPrefix) {
                if ($null -eq $best -or [int]$parts[1] -gt [int]$best.DestinationPrefix.Split('/')[1]) { $best = $r }
            }
        }
        if ($null -eq $best) { return }
        @(Get-LabIPAddresses $state | Where-Object { $_.InterfaceIndex -eq $best.InterfaceIndex })[0]
        $best
    }
}

function Get-NetIPConfiguration {
    [CmdletBinding(DefaultParameterSetName = 'Alias')]
    param(
        [Parameter(ParameterSetName = 'Alias', Position = 0)][string]$InterfaceAlias,
        [Parameter(ParameterSetName = 'Index', Mandatory)][int]$InterfaceIndex,
        [Parameter(ParameterSetName = 'All', Mandatory)][Alias('IncludeAllInterfaces')][switch]$All,
        [switch]$Detailed,
        [switch]$AllCompartments,
        [int]$CompartmentId,
        [object[]]$CimSession
    )
    process {
        $state = Read-LabState -ReadOnly
        $addresses = @(Get-LabIPAddresses $state)
        $routes = @(Get-LabRoutes $state)
        foreach ($a in $state.netAdapters) {
            if (-not $All -and $a.status -ne 'Up') { continue }
            if ($InterfaceAlias -and -not (Test-LabLike $a.name $InterfaceAlias)) { continue }
            if ($PSBoundParameters.ContainsKey('InterfaceIndex') -and [int]$a.ifIndex -ne $InterfaceIndex) { continue }
            $dns = @()
            if ($a.Contains('dnsServers')) { $dns = [string[]]@($a.dnsServers) }
            $dnsObject = New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_DNSClientServerAddress' ([ordered]@{ InterfaceAlias = [string]$a.name; InterfaceIndex = [uint32]$a.ifIndex; AddressFamily = [uint16]2; ServerAddresses = $dns })
            $domain = Get-LabRuleField $state 'domain' ''
            $netProfile = New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetConnectionProfile' ([ordered]@{
                    Name = $(if ($domain) { $domain } else { 'Network' }); InterfaceAlias = [string]$a.name; InterfaceIndex = [uint32]$a.ifIndex
                    NetworkCategory = $(if ($state.firewall.activeProfile -eq 'Domain') { 'DomainAuthenticated' } else { [string]$state.firewall.activeProfile })
                    IPv4Connectivity = $(if ($a.status -eq 'Up') { 'Internet' } else { 'NoTraffic' }); IPv6Connectivity = 'NoTraffic'
                })
            $p = [ordered]@{
                ComputerName         = [string]$state.hostName
                InterfaceAlias       = [string]$a.name
                InterfaceIndex       = [int]$a.ifIndex
                InterfaceDescription = [string]$a.interfaceDescription
                NetAdapter           = ConvertTo-LabNetAdapterObject $state $a
                NetProfile           = $netProfile
                NetIPv4Interface     = $null
                NetIPv6Interface     = $null
                IPv4Address          = @($addresses | Where-Object { $_.InterfaceIndex -eq [uint32]$a.ifIndex })
                IPv6Address          = @()
                IPv6LinkLocalAddress = @()
                IPv4DefaultGateway   = @($routes | Where-Object { $_.InterfaceIndex -eq [uint32]$a.ifIndex -and $_.DestinationPrefix -eq '0.0.0.0/0' })
                IPv6DefaultGateway   = @()
                DNSServer            = @($dnsObject)
                AllIPAddresses       = @($addresses | Where-Object { $_.InterfaceIndex -eq [uint32]$a.ifIndex })
                CompartmentId        = 1
                Detailed             = $Detailed.IsPresent
            }
            New-LabObject -TypeName @('NetIPConfiguration', 'System.Object') -Property $p
        }
    }
}

function Get-LabListeners {
    param([System.Collections.IDictionary]$State)
    $svc = @{}
    foreach ($s in $State.services) { $svc[[string]$s.name] = $s }
    $list = [System.Collections.Generic.List[object]]::new()
    $rdp = $svc['TermService']
    if ($rdp -and $rdp.status -eq 'Running' -and (Get-LabRdpSetting $State 'fDenyTSConnections').Value -eq 0) {
        $list.Add(@{ Port = [uint16](Get-LabRdpSetting $State 'PortNumber').Value; Pid = [uint32](Get-LabRuleField $rdp 'processId' '1104') })
    }
    foreach ($pair in @(@('sshd', 22), @('RpcSs', 135))) {
        $s = $svc[$pair[0]]
        if ($s -and $s.status -eq 'Running') { $list.Add(@{ Port = [uint16]$pair[1]; Pid = [uint32](Get-LabRuleField $s 'processId' '1000') }) }
    }
    $list.Add(@{ Port = [uint16]5985; Pid = [uint32]4 })
    return , $list
}

function Get-NetTCPConnection {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string[]]$LocalAddress,
        [Parameter(Position = 1)][uint16[]]$LocalPort,
        [string[]]$RemoteAddress,
        [uint16[]]$RemotePort,
        [ValidateSet('Closed', 'Listen', 'SynSent', 'SynReceived', 'Established', 'FinWait1', 'FinWait2', 'CloseWait', 'Closing', 'LastAck', 'TimeWait', 'DeleteTCB', 'Bound')][string[]]$State,
        [uint32[]]$OwningProcess,
        [object[]]$CimSession
    )
    process {
        $host0 = Read-LabState -ReadOnly
        $items = foreach ($l in (Get-LabListeners $host0)) {
            New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetTCPConnection' ([ordered]@{
                    LocalAddress = '0.0.0.0'; LocalPort = $l.Port; RemoteAddress = '0.0.0.0'; RemotePort = [uint16]0; State = 'Listen'
                    AppliedSetting = $null; OwningProcess = $l.Pid; CreationTime = (Get-LabNow $host0).AddHours(-6); OffloadState = 'InHost'
                })
        }
        $items = @($items)
        if ($LocalPort) { $items = @($items | Where-Object { $LocalPort -contains $_.LocalPort }) }
        if ($State) { $items = @($items | Where-Object { $State -contains $_.State }) }
        if ($OwningProcess) { $items = @($items | Where-Object { $OwningProcess -contains $_.OwningProcess }) }
        if ($RemotePort) { $items = @($items | Where-Object { $RemotePort -contains $_.RemotePort }) }
        if ($items.Count -eq 0 -and ($LocalPort -or $State -or $OwningProcess -or $RemotePort)) {
            $PSCmdlet.WriteError((New-LabErrorRecord -Message 'No matching MSFT_NetTCPConnection objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetTCPConnection class on the  CIM server. Verify query parameters and retry.' `
                        -ErrorId 'CmdletizationQuery_NotFound' -Category ObjectNotFound -TargetObject 'MSFT_NetTCPConnection' -ExceptionType 'Microsoft.PowerShell.Cmdletization.Cim.CimJobException'))
            return
        }
        $items
    }
}

function Get-NetConnectionProfile {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifAlias')][string[]]$InterfaceAlias,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [string[]]$Name,
        [ValidateSet('Public', 'Private', 'DomainAuthenticated')][string[]]$NetworkCategory,
        [object[]]$CimSession
    )
    $state = Read-LabState -ReadOnly
    $domain = Get-LabRuleField $state 'domain' ''
    # One profile per connected adapter: its own networkCategory, else firewall.activeProfile.
    foreach ($a in $state.netAdapters) {
        if ($a.status -ne 'Up') { continue }
        $profileName = Get-LabRuleField $a 'networkCategory' ([string]$state.firewall.activeProfile)
        $category = if ($profileName -eq 'Domain') { 'DomainAuthenticated' } else { $profileName }
        if ($InterfaceAlias -and -not @($InterfaceAlias | Where-Object { Test-LabLike $a.name $_ }).Count) { continue }
        if ($InterfaceIndex -and $InterfaceIndex -notcontains [uint32]$a.ifIndex) { continue }
        if ($NetworkCategory -and $NetworkCategory -notcontains $category) { continue }
        New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetConnectionProfile' ([ordered]@{
                Name = $(if ($domain) { $domain } else { 'Network' }); InterfaceAlias = [string]$a.name; InterfaceIndex = [uint32]$a.ifIndex
                NetworkCategory = $category; DomainAuthenticationKind = $(if ($domain) { 'Ldap' } else { 'None' })
                IPv4Connectivity = 'Internet'; IPv6Connectivity = 'NoTraffic'
            })
    }
}
