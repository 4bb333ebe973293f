# Client side: Test-NetConnection with a real TCP connect to the resolved address, so it sees the
# lab runtime's listener (refused, dropped or answering) exactly as a client would.

$script:CommonPorts = @{ HTTP = 80; RDP = 3389; SMB = 445; WINRM = 5985 }

function Test-LabTcpConnect {
    param([string]$Address, [int]$Port, [int]$TimeoutMs)
    $client = [System.Net.Sockets.TcpClient]::new([System.Net.IPAddress]::Parse($Address).AddressFamily)
    try {
        $task = $client.ConnectAsync([System.Net.IPAddress]::Parse($Address), $Port)
        $done = $false
        try { $done = $task.Wait($TimeoutMs) } catch { $done = $false }
        if ($done -and $client.Connected) { return @{ Ok = $true; Source = ([System.Net.IPEndPoint]$client.Client.LocalEndPoint).Address.ToString() } }
        return @{ Ok = $false; Source = $null }
    }
    finally { $client.Dispose() }
}

function Test-NetConnection {
    [CmdletBinding(DefaultParameterSetName = 'ICMP')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('RemoteAddress', 'cn')][string]$ComputerName = 'internetbeacon.msedge.net',
        [Parameter(ParameterSetName = 'CommonTCPPort', Mandatory, Position = 1)][ValidateSet('HTTP', 'RDP', 'SMB', 'WINRM')][string]$CommonTCPPort,
        [Parameter(ParameterSetName = 'RemotePort', Mandatory, ValueFromPipelineByPropertyName)][Alias('RemotePort')][ValidateRange(1, 65535)][int]$Port,
        [Parameter(ParameterSetName = 'ICMP')][switch]$TraceRoute,
        [Parameter(ParameterSetName = 'ICMP')][ValidateRange(1, 120)][int]$Hops,
        [Parameter(ParameterSetName = 'NetRouteDiagnostics', Mandatory)][switch]$DiagnoseRouting,
        [string]$ConstrainSourceAddress,
        [uint32]$ConstrainInterface,
        [ValidateSet('Quiet', 'Detailed')][string]$InformationLevel
    )
    process {
        $view = Get-LabClientView
        $tcpPort = if ($CommonTCPPort) { $script:CommonPorts[$CommonTCPPort] } elseif ($PSBoundParameters.ContainsKey('Port')) { $Port } else { 0 }
        $answer = Resolve-LabName $view $ComputerName $false
        $timeout = 3000
        $configured = [Environment]::GetEnvironmentVariable('PSREMEDY_LAB_CONNECT_TIMEOUT_MS')
        if ($configured) { $timeout = [int]$configured }
        $result = [ordered]@{
            ComputerName = $ComputerName; RemoteAddress = $null; RemotePort = [uint32]$tcpPort; InterfaceAlias = $null; InterfaceIndex = [uint32]0
            InterfaceDescription = $null; SourceAddress = $null; NetAdapter = $null; NetRoute = $null
            NameResolutionSucceeded = ($null -ne $answer); BasicNameResolution = $null; ResolvedAddresses = @(); DNSOnlyRecords = $null
            LLMNRNetbiosRecords = $null; AllNameResolutionResults = $null; PingSucceeded = $false; PingReplyDetails = $null
            TcpTestSucceeded = $false; TcpClientSocket = $null; TraceRoute = $null; MatchingIPsecRules = $null; NetworkIsolationContext = 'Internet'
            IsAdmin = $false; Detailed = ($InformationLevel -eq 'Detailed')
        }
        if ($null -eq $answer) {
            $PSCmdlet.WriteWarning("Name resolution of $ComputerName failed")
            if ($InformationLevel -eq 'Quiet') { return $false }
            return New-LabObject -TypeName @('TestNetConnectionResult', 'System.Object') -Property $result
        }
        $address = [string]$answer.Addresses[0]
        $result.RemoteAddress = [System.Net.IPAddress]::Parse($address)
        $result.ResolvedAddresses = @($answer.Addresses | ForEach-Object { [System.Net.IPAddress]::Parse([string]$_) })
        $result.InterfaceAlias = 'Ethernet'
        $result.InterfaceIndex = [uint32]1
        if ($tcpPort -gt 0) {
            $tcp = Test-LabTcpConnect $address $tcpPort $timeout
            $result.TcpTestSucceeded = $tcp.Ok
            if ($tcp.Source) { $result.SourceAddress = $tcp.Source }
            if (-not $tcp.Ok) { $PSCmdlet.WriteWarning("TCP connect to ($address : $tcpPort) failed") }
            if ($InformationLevel -eq 'Quiet') { return [bool]$tcp.Ok }
        }
        else {
            # No ICMP in the lab: a host answers ping while the adapter carrying its traffic is Up.
            $target = @($view.Hosts | Where-Object { $_.Contains('network') -and $_.network.address -eq $address })
            $up = $target.Count -gt 0 -and @($target[0].netAdapters | Where-Object { $_.Contains('carriesManagement') -and $_.carriesManagement -and $_.status -eq 'Up' }).Count -gt 0
            $result.PingSucceeded = $up -or $address -eq '127.0.0.1'
            if (-not $result.PingSucceeded) { $PSCmdlet.WriteWarning("Ping to $address failed with status: TimedOut") }
            if ($InformationLevel -eq 'Quiet') { return [bool]$result.PingSucceeded }
        }
        New-LabObject -TypeName @('TestNetConnectionResult', 'System.Object') -Property $result
    }
}

# The lab client's own address toward a lab host (src/lab/rdp/firewall-model.ts DEFAULT_CLIENT_ADDRESS):
# the host's client.sourceAddress, else 192.168.10.20. The host's firewall judges that address.
$script:LabDefaultClientAddress = '192.168.10.20'

# Client side: the local address and route the client uses to reach RemoteIPAddress, as Windows'
# Find-NetRoute returns them (an MSFT_NetIPAddress, then an MSFT_NetRoute).
function Find-NetRoute {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)][string]$RemoteIPAddress,
        [string]$LocalIPAddress,
        [uint32]$InterfaceIndex,
        [object[]]$CimSession
    )
    process {
        $view = Get-LabClientView
        $target = @($view.Hosts | Where-Object { $_.Contains('network') -and $_.network.Contains('address') -and $_.network.address -eq $RemoteIPAddress })
        $source = $script:LabDefaultClientAddress
        if ($target.Count -gt 0 -and $target[0].Contains('client') -and $target[0].client.Contains('sourceAddress')) { $source = [string]$target[0].client.sourceAddress }
        New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetIPAddress' ([ordered]@{
                IPAddress = $source; InterfaceIndex = [uint32]12; InterfaceAlias = 'Ethernet'; AddressFamily = 'IPv4'; Type = 'Unicast'
                PrefixLength = [byte]24; PrefixOrigin = 'Dhcp'; SuffixOrigin = 'Dhcp'; AddressState = 'Preferred'; PolicyStore = 'ActiveStore'
            })
        New-LabCimObject 'ROOT/StandardCimv2' 'MSFT_NetRoute' ([ordered]@{
                DestinationPrefix = '0.0.0.0/0'; NextHop = '192.168.10.1'; InterfaceIndex = [uint32]12; InterfaceAlias = 'Ethernet'
                AddressFamily = 'IPv4'; RouteMetric = [uint16]0; Protocol = 'NetMgmt'; Store = 'ActiveStore'; PolicyStore = 'ActiveStore'
            })
    }
}
