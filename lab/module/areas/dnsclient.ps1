# Client side: Resolve-DnsName over the `client` sections of the lab host state files.

# The client's view merged from every state file in PSREMEDY_LAB_STATE.
function Get-LabClientView {
    $view = @{ Dns = New-LabMap; HostsFile = New-LabMap; Hosts = [System.Collections.Generic.List[object]]::new() }
    $paths = ([string][Environment]::GetEnvironmentVariable('PSREMEDY_LAB_STATE')).Split([IO.Path]::PathSeparator, [StringSplitOptions]::RemoveEmptyEntries)
    foreach ($path in $paths) {
        if (-not [IO.File]::Exists($path)) { continue }
        $state = Read-LabState $path -ReadOnly
        $view.Hosts.Add($state)
        if (-not $state.Contains('client')) { continue }
        foreach ($section in 'dns', 'hostsFile') {
            if (-not $state.client.Contains($section)) { continue }
            $target = if ($section -eq 'dns') { $view.Dns } else { $view.HostsFile }
            foreach ($name in $state.client[$section].Keys) { $target[$name] = @($state.client[$section][$name]) }
        }
    }
    return $view
}

function Find-LabNameEntry {
    param([System.Collections.IDictionary]$Map, [string]$Name)
    $key = $Name.TrimEnd('.')
    foreach ($k in $Map.Keys) { if ([string]::Equals($k, $key, [StringComparison]::OrdinalIgnoreCase)) { return @{ Name = $k; Addresses = @($Map[$k]) } } }
    if ($key -notmatch '\.') {
        foreach ($k in $Map.Keys) { if ($k.StartsWith("$key.", [StringComparison]::OrdinalIgnoreCase)) { return @{ Name = $k; Addresses = @($Map[$k]) } } }
    }
    return $null
}

# Addresses for a name as the client resolves it: hosts file first (unless skipped), then DNS.
function Resolve-LabName {
    param([hashtable]$View, [string]$Name, [bool]$NoHostsFile)
    $parsed = $null
    if ([System.Net.IPAddress]::TryParse($Name, [ref]$parsed)) { return @{ Name = $Name; Addresses = @($Name); Section = 'Answer'; Ttl = 0 } }
    if ($Name -eq 'localhost') { return @{ Name = 'localhost'; Addresses = @('127.0.0.1'); Section = 'Answer'; Ttl = 0 } }
    if (-not $NoHostsFile) {
        $hit = Find-LabNameEntry $View.HostsFile $Name
        if ($hit) { return @{ Name = $hit.Name; Addresses = $hit.Addresses; Section = 'Answer'; Ttl = 86400 } }
    }
    $hit = Find-LabNameEntry $View.Dns $Name
    if ($hit) { return @{ Name = $hit.Name; Addresses = $hit.Addresses; Section = 'Answer'; Ttl = 1200 } }
    return $null
}

function Resolve-DnsName {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string]$Name,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)]
        [ValidateSet('UNKNOWN', 'A_AAAA', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'AAAA', 'SRV', 'DNAME', 'OPT', 'DS', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'ANY', 'ALL', 'WINS')]
        [string]$Type = 'A_AAAA',
        [string[]]$Server,
        [switch]$DnsOnly,
        [switch]$NoHostsFile,
        [switch]$CacheOnly,
        [switch]$DnssecOk,
        [switch]$DnssecCd,
        [switch]$NoRecursion,
        [switch]$LlmnrNetbiosOnly,
        [switch]$LlmnrFallback,
        [switch]$LlmnrOnly,
        [switch]$NetbiosFallback,
        [switch]$NoIdn,
        [switch]$QuickTimeout,
        [switch]$TcpOnly
    )
    process {
        $view = Get-LabClientView
        $answer = Resolve-LabName $view $Name $NoHostsFile.IsPresent
        if ($null -eq $answer) {
            $exception = [System.ComponentModel.Win32Exception]::new(9003, "$Name : DNS name does not exist")
            $record = [System.Management.Automation.ErrorRecord]::new($exception, 'DNS_ERROR_RCODE_NAME_ERROR', [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $Name)
            Set-LabErrorOriginator $record 'DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName'
            $PSCmdlet.WriteError($record)
            return
        }
        if ($Type -notin 'A', 'A_AAAA', 'ANY', 'ALL') { return }
        foreach ($address in $answer.Addresses) {
            $p = [ordered]@{ Name = $answer.Name; Type = 'A'; CharacterSet = 'Unicode'; Section = $answer.Section; DataLength = 4; TTL = [uint32]$answer.Ttl; IPAddress = [string]$address }
            New-LabObject -TypeName @('Microsoft.DnsClient.Commands.DnsRecord_A', 'Microsoft.DnsClient.Commands.DnsRecord', 'System.Object') -Property $p -Alias ([ordered]@{ IP4Address = 'IPAddress' })
        }
    }
}
