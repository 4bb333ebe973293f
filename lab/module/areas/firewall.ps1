# NetSecurity: Get/Enable/Disable/Set/New/Remove-NetFirewallRule, Get-NetFirewallPortFilter,
# Get/Set-NetFirewallProfile over state.firewall. Policy stores (Get-NetFirewallRule -PolicyStore):
# PersistentStore (the default) holds the local rules; RSOP and the GPO's own store hold the rules of
# state.firewall.groupPolicy; ActiveStore lists both. Changes act on the PersistentStore only.

$script:NsEnum = 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity'
$script:FwNamespace = 'root/standardcimv2'
$script:RuleTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule'
$script:PortFilterTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter'
$script:ProfileTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile'

function Get-LabRuleField {
    param([System.Collections.IDictionary]$Rule, [string]$Field, [string]$Default = 'Any')
    if ($Rule.Contains($Field) -and $null -ne $Rule[$Field] -and "$($Rule[$Field])" -ne '') { return [string]$Rule[$Field] }
    return $Default
}

function Split-LabList {
    param([string]$Text)
    return [string[]]@($Text.Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
}

function Get-LabGpoFirewall {
    param([System.Collections.IDictionary]$State)
    if ($State.firewall.Contains('groupPolicy') -and $null -ne $State.firewall.groupPolicy) { return $State.firewall.groupPolicy }
    return $null
}

# The store name Windows shows as PolicyStoreSource for a GPO's rules (domain\GPO display name).
function Get-LabGpoName {
    param([System.Collections.IDictionary]$State)
    $gpo = Get-LabGpoFirewall $State
    if ($null -ne $gpo -and $gpo.Contains('gpoName') -and $gpo.gpoName) { return [string]$gpo.gpoName }
    return "$(Get-LabRuleField $State 'domain' 'WORKGROUP')\Default Domain Policy"
}

function Get-LabGpoRules {
    param([System.Collections.IDictionary]$State)
    $gpo = Get-LabGpoFirewall $State
    if ($null -eq $gpo -or -not $gpo.Contains('rules') -or $null -eq $gpo.rules) { return , @() }
    return , @($gpo.rules)
}

# The rules a policy store holds, in the order Windows lists them (GPO rules first in ActiveStore).
function Get-LabStoreRules {
    param([System.Collections.IDictionary]$State, [string]$PolicyStore)
    $gpoRules = Get-LabGpoRules $State
    if (-not $PolicyStore -or $PolicyStore -eq 'PersistentStore') { return , @($State.firewall.rules) }
    if ($PolicyStore -eq 'ActiveStore') { return , @($gpoRules + @($State.firewall.rules)) }
    if ($PolicyStore -eq 'RSOP' -or ($null -ne (Get-LabGpoFirewall $State) -and $PolicyStore -eq (Get-LabGpoName $State))) { return , $gpoRules }
    return , @()
}

function Test-LabGpoRule {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Rule)
    foreach ($r in (Get-LabGpoRules $State)) { if ([object]::ReferenceEquals($r, $Rule)) { return $true } }
    return $false
}

function Get-LabRuleSource {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Rule)
    if ($null -ne $State -and (Test-LabGpoRule $State $Rule)) { return @((Get-LabGpoName $State), 'GroupPolicy') }
    return @('PersistentStore', 'Local')
}

function ConvertTo-LabFirewallRuleObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $source = Get-LabRuleSource $State $Rule
    $p = [ordered]@{
        InstanceID            = [string]$Rule.name
        Caption               = $null
        Description           = (Get-LabRuleField $Rule 'description' '')
        ElementName           = [string]$Rule.displayName
        DisplayName           = [string]$Rule.displayName
        DisplayGroup          = (Get-LabRuleField $Rule 'displayGroup' '')
        RuleGroup             = (Get-LabRuleField $Rule 'group' '')
        Enabled               = ConvertTo-LabEnum "$script:NsEnum.Enabled" ([string][bool]$Rule.enabled)
        Profile               = ConvertTo-LabEnum "$script:NsEnum.Profile" $Rule.profile
        Platforms             = [string[]]@()
        Direction             = ConvertTo-LabEnum "$script:NsEnum.Direction" $Rule.direction
        Action                = ConvertTo-LabEnum "$script:NsEnum.Action" $Rule.action
        EdgeTraversalPolicy   = ConvertTo-LabEnum "$script:NsEnum.EdgeTraversal" (Get-LabRuleField $Rule 'edgeTraversalPolicy' 'Block')
        LooseSourceMapping    = $false
        LocalOnlyMapping      = $false
        Owner                 = $null
        PrimaryStatus         = ConvertTo-LabEnum "$script:NsEnum.PrimaryStatus" 'OK'
        Status                = 'The rule was parsed successfully from the store. (65536)'
        EnforcementStatus     = 'NotApplicable'
        PolicyStoreSource     = $source[0]
        PolicyStoreSourceType = ConvertTo-LabEnum "$script:NsEnum.PolicyStoreType" $source[1]
        PolicyAppId           = $null
        PackageFamilyName     = $null
    }
    foreach ($k in @('DisplayGroup', 'RuleGroup', 'Description')) { if ($p[$k] -eq '') { $p[$k] = $null } }
    return New-LabCimObject $script:FwNamespace 'MSFT_NetFirewallRule' $p ([ordered]@{ Name = 'InstanceID'; ID = 'InstanceID'; Group = 'RuleGroup'; Platform = 'Platforms' })
}

function ConvertTo-LabPortFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $source = Get-LabRuleSource $State $Rule
    $p = [ordered]@{
        InstanceID            = [string]$Rule.name
        Caption               = $null
        Description           = $null
        ElementName           = $null
        Protocol              = (Get-LabRuleField $Rule 'protocol')
        LocalPort             = Split-LabList (Get-LabRuleField $Rule 'localPort')
        RemotePort            = Split-LabList (Get-LabRuleField $Rule 'remotePort')
        IcmpType              = 'Any'
        DynamicTarget         = 'Any'
        CreationClassName     = "MSFT|FW|FirewallRule|$($Rule.name)"
        PolicyStoreSource     = $source[0]
        PolicyStoreSourceType = ConvertTo-LabEnum "$script:NsEnum.PolicyStoreType" $source[1]
    }
    return New-LabCimObject $script:FwNamespace 'MSFT_NetProtocolPortFilter' $p
}

# The rules a selector (the cmdlet's bound parameters) designates, in store order; exact values that
# matched nothing become CDXML not-found errors in $NotFound. -ForChange: the PersistentStore only.
function Select-LabFirewallRule {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Bound, [System.Collections.Generic.List[object]]$NotFound, [switch]$ForChange)
    $store = ''
    if (-not $ForChange -and (Test-LabBound $Bound 'PolicyStore')) { $store = [string]$Bound.PolicyStore }
    $rules = Get-LabStoreRules $State $store
    $class = 'MSFT_NetFirewallRule'
    if ((Test-LabBound $Bound 'InputObject')) {
        $names = @($Bound.InputObject | ForEach-Object { $_.InstanceID })
        return , [System.Collections.Generic.List[object]]@($rules | Where-Object { $names -contains $_.name })
    }
    if ((Test-LabBound $Bound 'AssociatedNetFirewallPortFilter')) {
        $names = @($Bound.AssociatedNetFirewallPortFilter | ForEach-Object { $_.InstanceID })
        return , [System.Collections.Generic.List[object]]@($rules | Where-Object { $names -contains $_.name })
    }
    if ((Test-LabBound $Bound 'AssociatedNetFirewallProfile')) {
        $profileName = [string]$Bound.AssociatedNetFirewallProfile.Name
        return , [System.Collections.Generic.List[object]]@($rules | Where-Object { $_.profile -eq 'Any' -or (Split-LabList $_.profile) -contains $profileName })
    }
    if ((Test-LabBound $Bound 'Name')) { $rules = Select-LabByValue $rules { $args[0].name } $Bound.Name $class 'InstanceID' $NotFound }
    if ((Test-LabBound $Bound 'DisplayName')) { $rules = Select-LabByValue $rules { $args[0].displayName } $Bound.DisplayName $class 'DisplayName' $NotFound }
    if ((Test-LabBound $Bound 'DisplayGroup')) { $rules = Select-LabByValue $rules { Get-LabRuleField $args[0] 'displayGroup' '' } $Bound.DisplayGroup $class 'DisplayGroup' $NotFound }
    if ((Test-LabBound $Bound 'Group')) { $rules = Select-LabByValue $rules { Get-LabRuleField $args[0] 'group' '' } $Bound.Group $class 'RuleGroup' $NotFound }
    if ((Test-LabBound $Bound 'Enabled')) {
        $want = @($Bound.Enabled | ForEach-Object { [string]$_ -eq 'True' })
        $rules = @($rules | Where-Object { $want -contains [bool]$_.enabled })
    }
    if ((Test-LabBound $Bound 'Direction')) { $want = @($Bound.Direction | ForEach-Object { [string]$_ }); $rules = @($rules | Where-Object { $want -contains $_.direction }) }
    if ((Test-LabBound $Bound 'Action')) { $want = @($Bound.Action | ForEach-Object { [string]$_ }); $rules = @($rules | Where-Object { $want -contains $_.action }) }
    return , [System.Collections.Generic.List[object]]@($rules)
}

function Write-LabErrors {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.Generic.List[object]]$Errors)
    foreach ($e in $Errors) { $Cmdlet.WriteError($e) }
}

function Get-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter')][psobject]$AssociatedNetFirewallPortFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallProfile', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile')][psobject]$AssociatedNetFirewallProfile,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$TracePolicyStore,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $notFound = [System.Collections.Generic.List[object]]::new()
        $rules = Select-LabFirewallRule $state $PSBoundParameters $notFound
        foreach ($r in $rules) { ConvertTo-LabFirewallRuleObject $r $state }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Get-NetFirewallPortFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Protocol,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DynamicTarget,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $rules = Get-LabFilterStoreRules $state $PSBoundParameters
        if ($PSBoundParameters.ContainsKey('Protocol')) {
            $rules = @($rules | Where-Object { $r = $_; @($Protocol | Where-Object { Test-LabLike (Get-LabRuleField $r 'protocol') $_ }).Count -gt 0 })
        }
        foreach ($r in $rules) { ConvertTo-LabPortFilterObject $r $state }
    }
}

function Set-LabRuleEnabled {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [bool]$Value, [string]$Verb)
    $state = Read-LabState
    $notFound = [System.Collections.Generic.List[object]]::new()
    $rules = Select-LabFirewallRule $state $Bound $notFound -ForChange
    $changed = $false
    foreach ($r in $rules) {
        if ($Cmdlet.ShouldProcess("MSFT_NetFirewallRule (InstanceID = `"$($r.name)`")", $Verb)) {
            $r.enabled = $Value
            $changed = $true
        }
    }
    if ($changed) { Save-LabState $state }
    if ((Test-LabBound $Bound 'PassThru') -and $Bound.PassThru) { foreach ($r in $rules) { ConvertTo-LabFirewallRuleObject $r $state } }
    Write-LabErrors $Cmdlet $notFound
}

function Enable-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter')][psobject]$AssociatedNetFirewallPortFilter,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject[]]$InputObject,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Set-LabRuleEnabled $PSCmdlet $PSBoundParameters $true 'Enable' }
}

function Disable-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter')][psobject]$AssociatedNetFirewallPortFilter,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject[]]$InputObject,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Set-LabRuleEnabled $PSCmdlet $PSBoundParameters $false 'Disable' }
}

function Remove-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject[]]$InputObject,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState
        $notFound = [System.Collections.Generic.List[object]]::new()
        $rules = Select-LabFirewallRule $state $PSBoundParameters $notFound -ForChange
        $removed = [System.Collections.Generic.List[object]]::new()
        foreach ($r in $rules) {
            if ($PSCmdlet.ShouldProcess("MSFT_NetFirewallRule (InstanceID = `"$($r.name)`")", 'Delete')) { $removed.Add($r) }
        }
        foreach ($r in $removed) { [void]$state.firewall.rules.Remove($r) }
        if ($removed.Count -gt 0) { Save-LabState $state }
        if ($PassThru) { foreach ($r in $removed) { ConvertTo-LabFirewallRuleObject $r $state } }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Set-LabRuleSetting {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$Bound)
    $map = [ordered]@{
        NewDisplayName = 'displayName'; Description = 'description'; Enabled = 'enabled'; Profile = 'profile'
        Direction = 'direction'; Action = 'action'; Protocol = 'protocol'; LocalPort = 'localPort'; RemotePort = 'remotePort'
        LocalAddress = 'localAddress'; RemoteAddress = 'remoteAddress'; Program = 'program'; Service = 'service'
        EdgeTraversalPolicy = 'edgeTraversalPolicy'; Group = 'group'; DisplayName = 'displayName'; Name = 'name'
        InterfaceAlias = 'interfaceAlias'; Authentication = 'authentication'; OverrideBlockRules = 'overrideBlockRules'
    }
    foreach ($parameter in $map.Keys) {
        if (-not $Bound.Contains($parameter)) { continue }
        $value = $Bound[$parameter]
        switch ($parameter) {
            'Enabled' { $value = [string]$value -eq 'True' }
            { $_ -in 'LocalPort', 'RemotePort', 'LocalAddress', 'RemoteAddress', 'InterfaceAlias' } { $value = (@($value) | ForEach-Object { [string]$_ }) -join ',' }
            'OverrideBlockRules' { $value = [bool]$value }
            default { $value = [string]$value }
        }
        $Rule[$map[$parameter]] = $value
    }
}

function Set-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByDisplayGroup', Mandatory)][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByGroup', Mandatory)][string[]]$Group,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject[]]$InputObject,
        [string]$NewDisplayName,
        [string]$Description,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled]$Enabled,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile]$Profile,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction]$Direction,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$Action,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal]$EdgeTraversalPolicy,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string]$Program,
        [string]$Service,
        [string[]]$InterfaceAlias,
        [ValidateSet('NotRequired', 'Required', 'NoEncap')][string]$Authentication,
        [bool]$OverrideBlockRules,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState
        $notFound = [System.Collections.Generic.List[object]]::new()
        $selector = New-LabMap
        foreach ($k in 'Name', 'DisplayName', 'DisplayGroup', 'Group', 'InputObject') { if ($PSBoundParameters.ContainsKey($k)) { $selector[$k] = $PSBoundParameters[$k] } }
        $rules = Select-LabFirewallRule $state $selector $notFound -ForChange
        $settings = New-LabMap
        foreach ($k in $PSBoundParameters.Keys) { if ($k -notin 'Name', 'DisplayName', 'DisplayGroup', 'Group', 'InputObject') { $settings[$k] = $PSBoundParameters[$k] } }
        $changed = $false
        foreach ($r in $rules) {
            if ($PSCmdlet.ShouldProcess("MSFT_NetFirewallRule (InstanceID = `"$($r.name)`")", 'Set')) {
                Set-LabRuleSetting $r $settings
                $changed = $true
            }
        }
        if ($changed) { Save-LabState $state }
        if ($PassThru) { foreach ($r in $rules) { ConvertTo-LabFirewallRuleObject $r $state } }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function New-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Alias('ID')][string]$Name,
        [Parameter(Mandatory)][string]$DisplayName,
        [string]$Description,
        [string]$Group,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled]$Enabled = 'True',
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile]$Profile = 'Any',
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction]$Direction = 'Inbound',
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$Action = 'Allow',
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal]$EdgeTraversalPolicy = 'Block',
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string]$Program,
        [string]$Service,
        [string[]]$InterfaceAlias,
        [ValidateSet('NotRequired', 'Required', 'NoEncap')][string]$Authentication,
        [bool]$OverrideBlockRules,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    $state = Read-LabState
    if (-not $Name) { $Name = '{' + [guid]::NewGuid().ToString().ToUpperInvariant() + '}' }
    if (@($state.firewall.rules | Where-Object { $_.name -eq $Name }).Count -gt 0) {
        $record = New-LabErrorRecord -Message 'Cannot create a file when that file already exists.' -ErrorId 'Windows System Error 183' `
            -Category ResourceExists -TargetObject $Name
        $PSCmdlet.WriteError($record)
        return
    }
    $rule = New-LabMap
    $rule.name = $Name
    $rule.displayName = $DisplayName
    if ($Description) { $rule.description = $Description }
    if ($Group) { $rule.group = $Group; $rule.displayGroup = $Group }
    $rule.enabled = [string]$Enabled -eq 'True'
    $rule.direction = [string]$Direction
    $rule.profile = [string]$Profile
    $rule.protocol = 'Any'
    $rule.localPort = 'Any'
    $rule.remotePort = 'Any'
    $rule.localAddress = 'Any'
    $rule.remoteAddress = 'Any'
    $rule.action = [string]$Action
    $rule.edgeTraversalPolicy = [string]$EdgeTraversalPolicy
    $settings = New-LabMap
    foreach ($k in 'Protocol', 'LocalPort', 'RemotePort', 'LocalAddress', 'RemoteAddress', 'Program', 'Service', 'InterfaceAlias', 'Authentication', 'OverrideBlockRules') {
        if ($PSBoundParameters.ContainsKey($k)) { $settings[$k] = $PSBoundParameters[$k] }
    }
    Set-LabRuleSetting $rule $settings
    if ($PSCmdlet.ShouldProcess("MSFT_NetFirewallRule (InstanceID = `"$Name`")", 'Create')) {
        $state.firewall.rules.Add($rule)
        Save-LabState $state
        ConvertTo-LabFirewallRuleObject $rule $state
    }
}

# A profile as one store shows it. PersistentStore: the local settings (NotConfigured where none);
# RSOP / the GPO store: what Group Policy configures; ActiveStore: the merge Windows enforces
# (a GPO value wins, NotConfigured resolves to the defaults: on, inbound Block, outbound Allow).
function Get-LabProfileView {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$FirewallProfile, [string]$PolicyStore)
    $gpo = Get-LabGpoFirewall $State
    $gpoProfile = $null
    if ($null -ne $gpo -and $gpo.Contains('profiles')) { $gpoProfile = @($gpo.profiles) | Where-Object { $_.name -eq $FirewallProfile.name } | Select-Object -First 1 }
    $local = [ordered]@{
        enabled = ([string][bool]$FirewallProfile.enabled)
        defaultInboundAction = (Get-LabRuleField $FirewallProfile 'defaultInboundAction' 'NotConfigured')
        defaultOutboundAction = (Get-LabRuleField $FirewallProfile 'defaultOutboundAction' 'NotConfigured')
        allowLocalFirewallRules = 'NotConfigured'
    }
    $fromGpo = [ordered]@{ enabled = 'NotConfigured'; defaultInboundAction = 'NotConfigured'; defaultOutboundAction = 'NotConfigured'; allowLocalFirewallRules = 'NotConfigured' }
    if ($null -ne $gpoProfile) {
        foreach ($k in @($fromGpo.Keys)) {
            if ($gpoProfile.Contains($k) -and $null -ne $gpoProfile[$k]) { $fromGpo[$k] = [string]$gpoProfile[$k]; if ($gpoProfile[$k] -is [bool]) { $fromGpo[$k] = ([string][bool]$gpoProfile[$k]) } }
        }
    }
    if (-not $PolicyStore -or $PolicyStore -eq 'PersistentStore') { return $local }
    if ($PolicyStore -ne 'ActiveStore') { return $fromGpo }
    $defaults = [ordered]@{ enabled = 'True'; defaultInboundAction = 'Block'; defaultOutboundAction = 'Allow'; allowLocalFirewallRules = 'True' }
    $active = [ordered]@{}
    foreach ($k in @($defaults.Keys)) {
        $value = $defaults[$k]
        if ($local[$k] -ne 'NotConfigured') { $value = $local[$k] }
        if ($fromGpo[$k] -ne 'NotConfigured') { $value = $fromGpo[$k] }
        $active[$k] = $value
    }
    return $active
}

function ConvertTo-LabFirewallProfileObject {
    param([System.Collections.IDictionary]$FirewallProfile, [System.Collections.IDictionary]$State, [string]$PolicyStore)
    $gpo = "$script:NsEnum.GpoBoolean"
    $view = Get-LabProfileView $State $FirewallProfile $PolicyStore
    $p = [ordered]@{
        Name                            = [string]$FirewallProfile.name
        InstanceID                      = "MSFT|FW|FirewallProfile|$($FirewallProfile.name)"
        Enabled                         = ConvertTo-LabEnum $gpo $view.enabled
        DefaultInboundAction            = ConvertTo-LabEnum "$script:NsEnum.Action" $view.defaultInboundAction
        DefaultOutboundAction           = ConvertTo-LabEnum "$script:NsEnum.Action" $view.defaultOutboundAction
        AllowInboundRules               = ConvertTo-LabEnum $gpo 'NotConfigured'
        AllowLocalFirewallRules         = ConvertTo-LabEnum $gpo $view.allowLocalFirewallRules
        AllowLocalIPsecRules            = ConvertTo-LabEnum $gpo 'NotConfigured'
        AllowUserApps                   = ConvertTo-LabEnum $gpo 'NotConfigured'
        AllowUserPorts                  = ConvertTo-LabEnum $gpo 'NotConfigured'
        AllowUnicastResponseToMulticast = ConvertTo-LabEnum $gpo 'NotConfigured'
        NotifyOnListen                  = ConvertTo-LabEnum $gpo 'False'
        EnableStealthModeForIPsec       = ConvertTo-LabEnum $gpo 'NotConfigured'
        LogFileName                     = '%systemroot%\system32\LogFiles\Firewall\pfirewall.log'
        LogMaxSizeKilobytes             = 4096
        LogAllowed                      = ConvertTo-LabEnum $gpo 'False'
        LogBlocked                      = ConvertTo-LabEnum $gpo 'False'
        LogIgnored                      = ConvertTo-LabEnum $gpo 'NotConfigured'
        DisabledInterfaceAliases        = [string[]]@('NotConfigured')
    }
    return New-LabCimObject $script:FwNamespace 'MSFT_NetFirewallProfile' $p ([ordered]@{ Profile = 'Name' })
}

function Get-NetFirewallProfile {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('Profile')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState -ReadOnly
        $notFound = [System.Collections.Generic.List[object]]::new()
        $profiles = @($state.firewall.profiles)
        if ($PSBoundParameters.ContainsKey('Name')) { $profiles = Select-LabByValue $profiles { $args[0].name } $Name 'MSFT_NetFirewallProfile' 'Name' $notFound }
        if ($PSBoundParameters.ContainsKey('AssociatedNetFirewallRule')) {
            $ruleProfile = [string]$AssociatedNetFirewallRule.Profile
            $profiles = @($profiles | Where-Object { $ruleProfile -eq 'Any' -or (Split-LabList $ruleProfile) -contains $_.name })
        }
        foreach ($p in $profiles) { ConvertTo-LabFirewallProfileObject $p $state $PolicyStore }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Set-NetFirewallProfile {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('Profile')][string[]]$Name,
        [Parameter(ParameterSetName = 'GetAll', Mandatory)][switch]$All,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile')][psobject[]]$InputObject,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.GpoBoolean]$Enabled,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$DefaultInboundAction,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$DefaultOutboundAction,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $state = Read-LabState
        $notFound = [System.Collections.Generic.List[object]]::new()
        $profiles = @($state.firewall.profiles)
        if ($PSBoundParameters.ContainsKey('Name')) { $profiles = Select-LabByValue $profiles { $args[0].name } $Name 'MSFT_NetFirewallProfile' 'Name' $notFound }
        if ($PSBoundParameters.ContainsKey('InputObject')) { $names = @($InputObject | ForEach-Object { $_.Name }); $profiles = @($profiles | Where-Object { $names -contains $_.name }) }
        $changed = $false
        foreach ($p in $profiles) {
            if (-not $PSCmdlet.ShouldProcess("MSFT_NetFirewallProfile (Name = `"$($p.name)`")", 'Set')) { continue }
            if ($PSBoundParameters.ContainsKey('Enabled')) { $p.enabled = [string]$Enabled -ne 'False' }
            if ($PSBoundParameters.ContainsKey('DefaultInboundAction')) { $p.defaultInboundAction = [string]$DefaultInboundAction }
            if ($PSBoundParameters.ContainsKey('DefaultOutboundAction')) { $p.defaultOutboundAction = [string]$DefaultOutboundAction }
            $changed = $true
        }
        if ($changed) { Save-LabState $state }
        if ($PassThru) { foreach ($p in $profiles) { ConvertTo-LabFirewallProfileObject $p $state } }
        Write-LabErrors $PSCmdlet $notFound
    }
}
