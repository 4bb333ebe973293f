# NetSecurity: Get-NetFirewallApplicationFilter and Get-NetFirewallServiceFilter over state.firewall.rules
# (one filter of each kind per rule, as Windows keeps them; InstanceID is the rule's Name).

$script:AppFilterClass = 'MSFT_NetFirewallApplicationFilter'
$script:ServiceFilterClass = 'MSFT_NetFirewallServiceFilter'

function ConvertTo-LabApplicationFilterObject {
    param([System.Collections.IDictionary]$Rule)
    $p = [ordered]@{
        InstanceID            = [string]$Rule.name
        Caption               = $null
        Description           = $null
        ElementName           = $null
        AppPath               = (Get-LabRuleField $Rule 'program')
        Package               = $null
        CreationClassName     = "MSFT|FW|FirewallRule|$($Rule.name)"
        PolicyStoreSource     = 'PersistentStore'
        PolicyStoreSourceType = ConvertTo-LabEnum "$script:NsEnum.PolicyStoreType" 'Local'
    }
    return New-LabCimObject $script:FwNamespace $script:AppFilterClass $p ([ordered]@{ Program = 'AppPath' })
}

function ConvertTo-LabServiceFilterObject {
    param([System.Collections.IDictionary]$Rule)
    $p = [ordered]@{
        InstanceID            = [string]$Rule.name
        Caption               = $null
        Description           = $null
        ElementName           = $null
        ServiceName           = (Get-LabRuleField $Rule 'service')
        CreationClassName     = "MSFT|FW|FirewallRule|$($Rule.name)"
        PolicyStoreSource     = 'PersistentStore'
        PolicyStoreSourceType = ConvertTo-LabEnum "$script:NsEnum.PolicyStoreType" 'Local'
    }
    return New-LabCimObject $script:FwNamespace $script:ServiceFilterClass $p ([ordered]@{ Service = 'ServiceName' })
}

# The rules whose filters a Get-NetFirewall*Filter call designates: all, or the piped rule's.
function Get-LabFilterRules {
    param([System.Collections.IDictionary]$Bound)
    $state = Read-LabState -ReadOnly
    $rules = @($state.firewall.rules)
    if (Test-LabBound $Bound 'AssociatedNetFirewallRule') {
        $names = @($Bound.AssociatedNetFirewallRule | ForEach-Object { [string]$_.InstanceID })
        $rules = @($rules | Where-Object { $names -contains $_.name })
    }
    return , $rules
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
        foreach ($r in $rules) { ConvertTo-LabApplicationFilterObject $r }
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
        foreach ($r in $rules) { ConvertTo-LabServiceFilterObject $r }
        Write-LabErrors $PSCmdlet $notFound
    }
}
