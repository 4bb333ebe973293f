#Requires -Version 5.1
<#
.SYNOPSIS
    Checks how the client resolves the RDP server's name: with the hosts file (what mstsc uses)
    and from DNS alone, against the address the admin expects.

.DESCRIPTION
    Uses Resolve-DnsName where it exists (Windows, the lab), else .NET name resolution. Finds a
    name that does not resolve, a hosts-file entry that overrides DNS, and an answer that differs
    from ExpectedAddress. The first address found is returned for the next steps.

.PARAMETER ComputerName
    The name the admin connects to.

.PARAMETER ExpectedAddress
    The IPv4 address the name should resolve to (optional).

.OUTPUTS
    One object: computerName, address (first address the client uses, '' when none), addresses
    (with the hosts file), dnsAddresses (DNS only), hostsFileOverride, method, sourceAddress
    (this client's address toward the first address, found without connecting), findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $ComputerName,

    [string] $ExpectedAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }
if (-not (Get-Module -Name RdpClientNet)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpClientNet.psm1') }

function Resolve-Name([string] $Name, [bool] $DnsOnly) {
    $outcome = [ordered]@{ addresses = @(); error = $null }
    try {
        if ($DnsOnly) {
            $records = Resolve-DnsName -Name $Name -Type A -DnsOnly -NoHostsFile -ErrorAction Stop
        } else {
            $records = Resolve-DnsName -Name $Name -Type A -ErrorAction Stop
        }
        $outcome.addresses = @($records | Where-Object { $_.PSObject.Properties['IPAddress'] -and $_.IPAddress } | ForEach-Object { [string]$_.IPAddress } | Select-Object -Unique)
    } catch {
        $outcome.error = $_.Exception.Message
    }
    return $outcome
}

$findings = New-Object System.Collections.Generic.List[object]
$parsed = $null
$method = 'Resolve-DnsName'
$addresses = @()
$dnsAddresses = @()
$resolveError = $null
$hostsFileOverride = $false

if ([System.Net.IPAddress]::TryParse($ComputerName, [ref]$parsed)) {
    $method = 'literal'
    $addresses = @($ComputerName)
    $dnsAddresses = @($ComputerName)
    $findings.Add((New-Finding 'dns-mismatch' 0 "$ComputerName is an IP address; no name resolution is involved."))
} else {
    if (Get-Command -Name Resolve-DnsName -ErrorAction SilentlyContinue) {
        $withHosts = Resolve-Name $ComputerName $false
        $dnsOnly = Resolve-Name $ComputerName $true
        $addresses = @($withHosts.addresses)
        $dnsAddresses = @($dnsOnly.addresses)
        $resolveError = $withHosts.error
        if ($addresses.Count -gt 0 -and $dnsAddresses.Count -gt 0) {
            $hostsFileOverride = @(Compare-Object -ReferenceObject $addresses -DifferenceObject $dnsAddresses).Count -gt 0
        } elseif ($addresses.Count -gt 0 -and $null -ne $dnsOnly.error) {
            $hostsFileOverride = $true
        }
    } else {
        $method = 'System.Net.Dns'
        try {
            $addresses = @([System.Net.Dns]::GetHostAddresses($ComputerName) | Where-Object { $_.AddressFamily -eq 'InterNetwork' } | ForEach-Object { $_.IPAddressToString })
            $dnsAddresses = $addresses
        } catch {
            $resolveError = $_.Exception.InnerException.Message
            if (-not $resolveError) { $resolveError = $_.Exception.Message }
        }
    }

    $shown = $addresses -join ', '
    if ($addresses.Count -eq 0) {
        $why = 'no IPv4 address'
        if ($resolveError) { $why = $resolveError }
        $findings.Add((New-Finding 'dns-mismatch' 0.9 "$ComputerName does not resolve on this client ($why)."))
    } elseif ($ExpectedAddress -and -not ($addresses -contains $ExpectedAddress)) {
        $source = 'DNS'
        if ($hostsFileOverride) { $source = 'the hosts file' }
        $findings.Add((New-Finding 'dns-mismatch' 0.9 "$ComputerName resolves to $shown (from $source), not to the expected $ExpectedAddress."))
    } elseif ($hostsFileOverride) {
        $dnsShown = $dnsAddresses -join ', '
        if (-not $dnsShown) { $dnsShown = 'nothing' }
        $findings.Add((New-Finding 'dns-mismatch' 0.6 "The hosts file maps $ComputerName to $shown while DNS answers $dnsShown."))
    } elseif ($ExpectedAddress) {
        $findings.Add((New-Finding 'dns-mismatch' 0 "$ComputerName resolves to $shown, as expected."))
    } else {
        $findings.Add((New-Finding 'dns-mismatch' 0.05 "$ComputerName resolves to $shown (DNS and hosts file agree); pass ExpectedAddress to check the address itself."))
    }
}

$first = ''
if ($addresses.Count -gt 0) { $first = [string]$addresses[0] }

# Server steps read it from here, so they need not wait for the TCP step's connect.
$sourceAddress = ''
if ($first) { $sourceAddress = Get-SourceAddress (Resolve-ConnectAddress $first) }

[pscustomobject]@{
    computerName      = $ComputerName
    address           = $first
    addresses         = [string[]]$addresses
    dnsAddresses      = [string[]]$dnsAddresses
    hostsFileOverride = $hostsFileOverride
    method            = $method
    sourceAddress     = $sourceAddress
    error             = $resolveError
    findings          = $findings.ToArray()
}
