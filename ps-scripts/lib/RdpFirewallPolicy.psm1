#Requires -Version 5.1
<#
.SYNOPSIS
    The one judgement of whether Windows Defender Firewall admits RDP: used by the firewall
    diagnosis (Test-RdpFirewall.ps1) and by the firewall fix's test (Test-RdpFirewallState.ps1),
    so a fix can never call "compliant" what the diagnosis calls closed.

.DESCRIPTION
    Follows what Microsoft documents:
    - the effective policy is the ActiveStore ("Running this cmdlet without specifying the policy
      store retrieves the persistent store", Get-NetFirewallRule -PolicyStore): Group Policy rules
      and settings count, and local rules do not where Group Policy sets AllowLocalFirewallRules
      to False (MS-GPFAS 2.2.3.13, AllowLocalPolicyMerge);
    - the profile that applies is the one of the interface the client's traffic arrives on
      (Get-NetConnectionProfile per interface; a server with several NICs has several);
    - a rule matches on protocol, local port, program/service, RemoteAddress, LocalAddress,
      InterfaceAlias and its security filter (Authentication Required / OverrideBlockRules match
      only IPsec-authenticated traffic, which a plain RDP client is not);
    - precedence: authenticated bypass, then Block, then Allow, then the profile's default
      inbound action (New-NetFirewallRule -OverrideBlockRules; Windows Firewall rule precedence).
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpFirewall)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpFirewall.psm1') }

# An IPv4 address as a number, or $null (IPv6, names).
function ConvertTo-IPv4Number([string] $Text) {
    $parsed = $null
    if (-not [System.Net.IPAddress]::TryParse($Text.Trim(), [ref] $parsed)) { return $null }
    if ($parsed.AddressFamily -ne [System.Net.Sockets.AddressFamily]::InterNetwork) { return $null }
    $bytes = $parsed.GetAddressBytes()
    return ([uint64]$bytes[0] * 16777216) + ([uint64]$bytes[1] * 65536) + ([uint64]$bytes[2] * 256) + [uint64]$bytes[3]
}

# Whether $Address lies in $Base/$Length.
function Test-InIPv4Prefix([uint64] $Address, [uint64] $Base, [int] $Length) {
    if ($Length -le 0) { return $true }
    $size = [uint64][math]::Pow(2, 32 - $Length)
    return ([math]::Floor($Address / $size) -eq [math]::Floor($Base / $Size))
}

# Whether a rule's address condition (RemoteAddress / LocalAddress entries) covers an address.
# $Context: @{ subnets = @(@{ address; prefixLength }); gateways = @() } for LocalSubnet / DefaultGateway.
function Test-AddressCovered([object[]] $Condition, [string] $Address, $Context) {
    $entries = @($Condition | ForEach-Object { [string]$_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
    if ($entries.Count -eq 0) { return $true }
    foreach ($entry in $entries) { if ($entry -eq 'Any' -or $entry -eq '*') { return $true } }
    if (-not $Address) { return $null }
    $target = ConvertTo-IPv4Number $Address
    if ($null -eq $target) { return $false }
    foreach ($entry in $entries) {
        if ($entry -eq 'LocalSubnet') {
            foreach ($subnet in @($Context.subnets)) {
                $base = ConvertTo-IPv4Number ([string]$subnet.address)
                if ($null -ne $base -and (Test-InIPv4Prefix $target $base ([int]$subnet.prefixLength))) { return $true }
            }
        } elseif ($entry -eq 'DefaultGateway') {
            foreach ($gateway in @($Context.gateways)) { if ((ConvertTo-IPv4Number ([string]$gateway)) -eq $target) { return $true } }
        } elseif ($entry -match '^([\d.]+)\s*-\s*([\d.]+)$') {
            $low = ConvertTo-IPv4Number $Matches[1]; $high = ConvertTo-IPv4Number $Matches[2]
            if ($null -ne $low -and $null -ne $high -and $target -ge $low -and $target -le $high) { return $true }
        } elseif ($entry -match '^([\d.]+)/(\d+)$') {
            $base = ConvertTo-IPv4Number $Matches[1]
            if ($null -ne $base -and (Test-InIPv4Prefix $target $base ([int]$Matches[2]))) { return $true }
        } elseif ($entry -match '^([\d.]+)/([\d.]+)$') {
            $base = ConvertTo-IPv4Number $Matches[1]; $mask = ConvertTo-IPv4Number $Matches[2]
            if ($null -ne $base -and $null -ne $mask) {
                $length = ([Convert]::ToString([int64]$mask, 2).ToCharArray() | Where-Object { $_ -eq '1' }).Count
                if (Test-InIPv4Prefix $target $base $length) { return $true }
            }
        } elseif ((ConvertTo-IPv4Number $entry) -eq $target) {
            return $true
        }
    }
    return $false
}

# Whether a rule limited to a program or service still admits TermService (svchost.exe, termservice).
function Test-AdmitsTermService([string] $Program, [string] $Service) {
    $programOk = @('Any', '', '*') -contains $Program -or $Program -match '^(%SystemRoot%|%windir%|[A-Za-z]:\\Windows)\\system32\\svchost\.exe$'
    $serviceOk = @('Any', '', '*') -contains $Service -or $Service -eq 'TermService'
    return ($programOk -and $serviceOk)
}

# The interface the client's traffic arrives on, its addresses and its firewall profile.
function Get-RdpArrivalInterface([string] $ClientAddress, [string] $ServerAddress) {
    $alias = $null
    $how = 'unknown'
    if ($ClientAddress -and (Get-Command -Name Find-NetRoute -ErrorAction SilentlyContinue)) {
        $route = @(Find-NetRoute -RemoteIPAddress $ClientAddress -ErrorAction SilentlyContinue | Where-Object { $_.PSObject.Properties['InterfaceAlias'] -and $_.InterfaceAlias })
        if ($route.Count -gt 0) { $alias = [string]$route[0].InterfaceAlias; $how = "route to $ClientAddress" }
    }
    if (-not $alias -and $ServerAddress) {
        $own = @(Get-NetIPAddress -IPAddress $ServerAddress -ErrorAction SilentlyContinue)
        if ($own.Count -gt 0) { $alias = [string]$own[0].InterfaceAlias; $how = "holds $ServerAddress" }
    }
    $profiles = @(Get-NetConnectionProfile -ErrorAction SilentlyContinue)
    $profileName = $null
    $forAlias = @($profiles | Where-Object { $alias -and [string]$_.InterfaceAlias -eq $alias })
    if ($forAlias.Count -gt 0) { $profileName = [string]$forAlias[0].NetworkCategory }
    elseif ($alias) { $profileName = 'Public' }
    if ($profileName -eq 'DomainAuthenticated') { $profileName = 'Domain' }
    $addresses = @()
    if ($alias) { $addresses = @(Get-NetIPAddress -InterfaceAlias $alias -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.IPAddress }) }
    if ($ServerAddress) { $addresses += $ServerAddress }
    $active = @($profiles | ForEach-Object { $c = [string]$_.NetworkCategory; if ($c -eq 'DomainAuthenticated') { 'Domain' } else { $c } } | Select-Object -Unique)
    [pscustomobject]@{ alias = $alias; how = $how; profile = $profileName; addresses = @($addresses); activeProfiles = @($active) }
}

# Filter objects of every rule in the ActiveStore, keyed by "InstanceID|PolicyStoreSource".
function Get-ActiveRuleFilters {
    $filters = @{}
    foreach ($kind in 'Port', 'Address', 'Interface', 'Security', 'Application', 'Service') {
        $command = "Get-NetFirewall$($kind)Filter"
        $table = @{}
        if (Get-Command -Name $command -ErrorAction SilentlyContinue) {
            foreach ($f in @(& $command -PolicyStore ActiveStore -ErrorAction SilentlyContinue)) { $table["$($f.InstanceID)|$($f.PolicyStoreSource)"] = $f }
        }
        $filters[$kind] = $table
    }
    return $filters
}

# Reads one filter property, or $Default when the filter or property is missing.
function Get-FilterValue($Filters, [string] $Kind, [string] $Key, [string] $Property, $Default) {
    $filter = $Filters[$Kind][$Key]
    if ($null -eq $filter -or -not $filter.PSObject.Properties[$Property]) { return $Default }
    return $filter.$Property
}

<#
  The verdict on inbound TCP to $Port from $ClientAddress ('' = unknown): open or not, what decided
  it, and every rule that took part. Scoped rules whose scope cannot be judged without the client
  address count as not matching, and are listed in `unjudged`.
#>
function Get-RdpFirewallVerdict([int] $Port, [string] $ClientAddress, [string] $ServerAddress) {
    $arrival = Get-RdpArrivalInterface $ClientAddress $ServerAddress
    $profileNames = @($arrival.profile)
    if (-not $arrival.profile) { $profileNames = @($arrival.activeProfiles) }
    if ($profileNames.Count -eq 0) { $profileNames = @('Domain', 'Private', 'Public') }
    $context = @{
        subnets  = @(Get-NetIPAddress -AddressFamily IPv4 -ErrorAction SilentlyContinue | ForEach-Object { @{ address = [string]$_.IPAddress; prefixLength = [int]$_.PrefixLength } })
        gateways = @(Get-NetRoute -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.NextHop })
    }
    $filters = Get-ActiveRuleFilters
    $rules = @(Get-NetFirewallRule -PolicyStore ActiveStore -Direction Inbound -Enabled True -ErrorAction SilentlyContinue)
    $judged = New-Object System.Collections.Generic.List[object]
    foreach ($profileName in $profileNames) {
        $fwProfile = Get-NetFirewallProfile -Name $profileName -PolicyStore ActiveStore
        $localRulesApply = [string]$fwProfile.AllowLocalFirewallRules -ne 'False'
        $verdict = [ordered]@{
            profile = $profileName; interface = $arrival.alias; firewallOn = ([string]$fwProfile.Enabled -ne 'False')
            defaultInbound = [string]$fwProfile.DefaultInboundAction; localRulesApply = $localRulesApply
            open = $false; decidedBy = $null; rule = $null; ruleFromPolicy = $false
            blockRules = @(); allowRules = @(); ignoredLocalRules = @(); scopedOut = @(); unjudged = @()
        }
        $block = New-Object System.Collections.Generic.List[object]
        $allow = New-Object System.Collections.Generic.List[object]
        foreach ($rule in $rules) {
            $key = "$($rule.Name)|$($rule.PolicyStoreSource)"
            $fromPolicy = [string]$rule.PolicyStoreSourceType -eq 'GroupPolicy'
            $protocol = [string](Get-FilterValue $filters 'Port' $key 'Protocol' 'Any')
            if (@('TCP', 'Any', '6') -notcontains $protocol) { continue }
            if (-not (Test-PortCovered @(Get-FilterValue $filters 'Port' $key 'LocalPort' 'Any') $Port)) { continue }
            if (-not (Test-AdmitsTermService ([string](Get-FilterValue $filters 'Application' $key 'Program' 'Any')) ([string](Get-FilterValue $filters 'Service' $key 'Service' 'Any')))) { continue }
            $entry = [pscustomobject]@{ name = [string]$rule.Name; displayName = [string]$rule.DisplayName; action = [string]$rule.Action; fromPolicy = $fromPolicy; source = [string]$rule.PolicyStoreSource; why = $null }
            if (-not $fromPolicy -and -not $localRulesApply) { $verdict.ignoredLocalRules += $entry; continue }
            $why = @()
            if (-not (Test-ProfileCovered ([string]$rule.Profile) $profileName)) { $why += "profile $($rule.Profile)" }
            $remote = Test-AddressCovered @(Get-FilterValue $filters 'Address' $key 'RemoteAddress' 'Any') $ClientAddress $context
            if ($null -eq $remote) { $verdict.unjudged += $entry; continue }
            if (-not $remote) { $why += "RemoteAddress $(@(Get-FilterValue $filters 'Address' $key 'RemoteAddress' 'Any') -join ',')" }
            $localCondition = @(Get-FilterValue $filters 'Address' $key 'LocalAddress' 'Any')
            $local = @($arrival.addresses | Where-Object { Test-AddressCovered $localCondition $_ $context }).Count -gt 0 -or @($localCondition | Where-Object { $_ -eq 'Any' }).Count -gt 0
            if (-not $local) { $why += "LocalAddress $($localCondition -join ',')" }
            $interfaces = @(Get-FilterValue $filters 'Interface' $key 'InterfaceAlias' 'Any' | ForEach-Object { [string]$_ })
            if (-not (@($interfaces | Where-Object { $_ -eq 'Any' -or ($arrival.alias -and $arrival.alias -like $_) }).Count -gt 0)) { $why += "interface $($interfaces -join ',')" }
            $authenticated = [string](Get-FilterValue $filters 'Security' $key 'Authentication' 'NotRequired') -eq 'Required' -or [bool](Get-FilterValue $filters 'Security' $key 'OverrideBlockRules' $false)
            if ($authenticated) { $why += 'authenticated (IPsec) connections only' }
            if ($why.Count -gt 0) { $entry.why = ($why -join '; '); $verdict.scopedOut += $entry; continue }
            if ($entry.action -eq 'Block') { $block.Add($entry) } elseif ($entry.action -eq 'Allow') { $allow.Add($entry) }
        }
        $verdict.blockRules = $block.ToArray()
        $verdict.allowRules = $allow.ToArray()
        if (-not $verdict.firewallOn) { $verdict.open = $true; $verdict.decidedBy = 'profile-off' }
        elseif ($block.Count -gt 0) { $verdict.decidedBy = 'block-rule'; $verdict.rule = $block[0].name; $verdict.ruleFromPolicy = $block[0].fromPolicy }
        elseif ($allow.Count -gt 0) { $verdict.open = $true; $verdict.decidedBy = 'allow-rule'; $verdict.rule = $allow[0].name; $verdict.ruleFromPolicy = $allow[0].fromPolicy }
        elseif ($verdict.defaultInbound -eq 'Allow') { $verdict.open = $true; $verdict.decidedBy = 'default-allow' }
        else { $verdict.decidedBy = 'default-block' }
        $judged.Add([pscustomobject]$verdict)
    }
    # Unknown arrival interface: open only if every active profile admits.
    $closed = @($judged | Where-Object { -not $_.open })
    $decisive = if ($closed.Count -gt 0) { $closed[0] } else { $judged[0] }
    [pscustomobject]@{
        open          = ($closed.Count -eq 0)
        port          = $Port
        clientAddress = $ClientAddress
        arrival       = $arrival
        verdict       = $decisive
        profiles      = $judged.ToArray()
    }
}

<#
  Why psremedy cannot open the port locally, or $null: a Group Policy Block rule matches, or Group
  Policy makes local rules inert on the arrival profile (a rule psremedy creates would not count).
#>
function Get-RdpFirewallPolicyBlock($Verdict) {
    $v = $Verdict.verdict
    if ($Verdict.open) { return $null }
    $gpoBlock = @($v.blockRules | Where-Object { $_.fromPolicy })
    if ($gpoBlock.Count -gt 0) {
        return ("A Block rule '{0}' from Group Policy ({1}) blocks TCP {2}; psremedy will not override policy. Change the GPO or ask its owner." -f $gpoBlock[0].displayName, $gpoBlock[0].source, $Verdict.port)
    }
    if (-not $v.localRulesApply) {
        return ("Group Policy does not apply local firewall rules on the {0} profile (AllowLocalFirewallRules = False) and has no rule allowing TCP {1}; a local rule would be ignored. Add an Allow rule to the GPO." -f $v.profile, $Verdict.port)
    }
    return $null
}

<#
  What the firewall fix works on and its undo restores: the port, the built-in rule, psremedy's own
  rule, every local inbound Block rule covering the port (enabled or not, so an undo finds the
  ones the fix disabled), and the verdict of Get-RdpFirewallVerdict.
#>
function Get-RdpFirewallFixState([int] $Port, [string] $RuleName, [string] $CustomRuleName, [string] $ClientAddress, [string] $ServerAddress) {
    $portNumber = $Port
    if ($portNumber -le 0) {
        $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name PortNumber -ErrorAction SilentlyContinue
        $portNumber = 3389
        if ($null -ne $item) { $portNumber = [int]$item.PortNumber }
    }
    $blockRules = @(Get-NetFirewallRule -Direction Inbound -Action Block -ErrorAction SilentlyContinue | Where-Object {
            $filter = $_ | Get-NetFirewallPortFilter
            @('TCP', 'Any', '6') -contains [string]$filter.Protocol -and (Test-PortCovered @($filter.LocalPort) $portNumber)
        } | ForEach-Object { [pscustomobject]@{ name = [string]$_.Name; enabled = ([string]$_.Enabled -eq 'True') } })
    $verdict = Get-RdpFirewallVerdict $portNumber $ClientAddress $ServerAddress
    [pscustomobject]@{
        portNumber = $portNumber
        builtIn    = Get-RuleView $RuleName
        custom     = Get-RuleView $CustomRuleName
        blockRules = $blockRules
        open       = [bool]$verdict.open
        decidedBy  = [string]$verdict.verdict.decidedBy
        profile    = [string]$verdict.verdict.profile
        verdict    = $verdict
    }
}
