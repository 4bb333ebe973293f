# NetSecurity: Get-NetFirewallApplicationFilter, -ServiceFilter, -AddressFilter, -InterfaceFilter and
# -SecurityFilter over the rules of a policy store (one filter of each kind per rule, as Windows keeps
# them; InstanceID is the rule's Name).

$script:AppFilterClass = 'MSFT_NetFirewallApplicationFilter'
$script:ServiceFilterClass = 'MSFT_NetFirewallServiceFilter'

# One filter object of a rule: the CIM identity fields every filter class carries, then its own.
function New-LabRuleFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State, [string]$Class, [System.Collections.IDictionary]$Fields, [System.Collections.IDictionary]$Aliases)
    $source = Get-LabRuleSource $State $Rule
    $p = [ordered]@{ InstanceID = [string]$Rule.name; Caption = $null; Description = $null; ElementName = $null }
    foreach ($k in $Fields.Keys) { $p[$k] = $Fields[$k] }
    $p.CreationClassName = "MSFT|FW|FirewallRule|$($Rule.name)"
    $p.PolicyStoreSource = $source[0]
    $p.PolicyStoreSourceType = ConvertTo-LabEnum "$script:NsEnum.PolicyStoreType" $source[1]
    if ($null -eq $Aliases) { return New-LabCimObject $script:FwNamespace $Class $p }
    return New-LabCimObject $script:FwNamespace $Class $p $Aliases
}

function ConvertTo-LabApplicationFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $fields = [ordered]@{ AppPath = (Get-LabRuleField $Rule 'program'); Package = $null }
    return New-LabRuleFilterObject $Rule $State $script:AppFilterClass $fields ([ordered]@{ Program = 'AppPath' })
}

function ConvertTo-LabServiceFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $fields = [ordered]@{ ServiceName = (Get-LabRuleField $Rule 'service') }
    return New-LabRuleFilterObject $Rule $State $script:ServiceFilterClass $fields ([ordered]@{ Service = 'ServiceName' })
}


# The rules whose filters a Get-NetFirewall*Filter call designates: all rules of the store, or the
# piped rule's (looked up in the store the rule object came from).
function Get-LabFilterStoreRules {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Bound)
    $store = ''
    if (Test-LabBound $Bound 'PolicyStore') { $store = [string]$Bound.PolicyStore }
    if (Test-LabBound $Bound 'AssociatedNetFirewallRule') {
        $piped = @($Bound.AssociatedNetFirewallRule)
        if (-not $store -and [string]$piped[0].PolicyStoreSourceType -eq 'GroupPolicy') { $store = 'ActiveStore' }
        $names = @($piped | ForEach-Object { [string]$_.InstanceID })
        return , @((Get-LabStoreRules $State $store) | Where-Object { $names -contains $_.name })
    }
    return Get-LabStoreRules $State $store
}

# Every filter of one kind for the rules a call designates.
function Get-LabRuleFilters {
    param([System.Collections.IDictionary]$Bound, [string]$Converter)
    $state = Read-LabState -ReadOnly
    foreach ($r in (Get-LabFilterStoreRules $state $Bound)) { & $Converter $r $state }
}

function Get-LabFilterRules {
    param([System.Collections.IDictionary]$Bound)
    $state = Read-LabState -ReadOnly
    return Get-LabFilterStoreRules $state $Bound
}

function Get-NetFirewallApplicationFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Program,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Package,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $rules = Get-LabFilterRules $PSBoundParameters
        $notFound = [System.Collections.Generic.List[object]]::new()
        if ($PSBoundParameters.ContainsKey('Program')) { $rules = Select-LabByValue $rules { Get-LabRuleField $args[0] 'program' } $Program $script:AppFilterClass 'AppPath' $notFound }
        # The lab's rules have no app packages (Store apps): a package query matches nothing.
        if ($PSBoundParameters.ContainsKey('Package')) { $rules = Select-LabByValue $rules { '' } $Package $script:AppFilterClass 'Package' $notFound }
        $state = Read-LabState -ReadOnly
        foreach ($r in $rules) { ConvertTo-LabApplicationFilterObject $r $state }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function Get-NetFirewallServiceFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Service,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $rules = Get-LabFilterRules $PSBoundParameters
        $notFound = [System.Collections.Generic.List[object]]::new()
        if ($PSBoundParameters.ContainsKey('Service')) { $rules = Select-LabByValue $rules { Get-LabRuleField $args[0] 'service' } $Service $script:ServiceFilterClass 'ServiceName' $notFound }
        $state = Read-LabState -ReadOnly
        foreach ($r in $rules) { ConvertTo-LabServiceFilterObject $r $state }
        Write-LabErrors $PSCmdlet $notFound
    }
}

function ConvertTo-LabAddressFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $fields = [ordered]@{ LocalAddress = Split-LabList (Get-LabRuleField $Rule 'localAddress'); RemoteAddress = Split-LabList (Get-LabRuleField $Rule 'remoteAddress') }
    return New-LabRuleFilterObject $Rule $State 'MSFT_NetAddressFilter' $fields
}

function ConvertTo-LabInterfaceFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $fields = [ordered]@{ InterfaceAlias = Split-LabList (Get-LabRuleField $Rule 'interfaceAlias') }
    return New-LabRuleFilterObject $Rule $State 'MSFT_NetInterfaceFilter' $fields
}

function ConvertTo-LabSecurityFilterObject {
    param([System.Collections.IDictionary]$Rule, [System.Collections.IDictionary]$State)
    $fields = [ordered]@{
        Authentication     = ConvertTo-LabEnum "$script:NsEnum.Authentication" (Get-LabRuleField $Rule 'authentication' 'NotRequired')
        Encryption         = ConvertTo-LabEnum "$script:NsEnum.Encryption" 'NotRequired'
        OverrideBlockRules = ($Rule.Contains('overrideBlockRules') -and [bool]$Rule.overrideBlockRules)
        LocalUser          = 'Any'
        RemoteUser         = 'Any'
        RemoteMachine      = 'Any'
    }
    return New-LabRuleFilterObject $Rule $State 'MSFT_NetNetworkLayerSecurityFilter' $fields
}

function Get-NetFirewallAddressFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Get-LabRuleFilters $PSBoundParameters 'ConvertTo-LabAddressFilterObject' }
}

function Get-NetFirewallInterfaceFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Get-LabRuleFilters $PSBoundParameters 'ConvertTo-LabInterfaceFilterObject' }
}

function Get-NetFirewallSecurityFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')][psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Get-LabRuleFilters $PSBoundParameters 'ConvertTo-LabSecurityFilterObject' }
}
