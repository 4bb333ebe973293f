# The provider cmdlets (Test-Path, Get-Item, Get-ChildItem, New-Item, Remove-Item and the
# *-ItemProperty family) for HKLM:\ and Cert:\ paths; any other path goes to the host's cmdlet.

function Get-LabPathArguments {
    param([System.Collections.IDictionary]$Bound)
    if (Test-LabBound $Bound 'LiteralPath') { return @{ Parameter = 'LiteralPath'; Paths = @($Bound.LiteralPath) } }
    if (Test-LabBound $Bound 'Path') { return @{ Parameter = 'Path'; Paths = @($Bound.Path) } }
    return @{ Parameter = 'Path'; Paths = @('.') }
}

function Test-Path {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType([bool])]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][AllowNull()][AllowEmptyCollection()][AllowEmptyString()][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][AllowNull()][AllowEmptyCollection()][AllowEmptyString()][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [Alias('Type')][ValidateSet('Any', 'Container', 'Leaf')][string]$PathType = 'Any',
        [switch]$IsValid,
        [pscredential]$Credential,
        [datetime]$OlderThan,
        [datetime]$NewerThan
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target) {
                if ($null -ne (Find-LabKeyFileCertificate (Read-LabState -ReadOnly) $p)) { $PathType -ne 'Container'; continue }
                Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Test-Path' $PSBoundParameters $args0.Parameter $p; continue
            }
            if ($IsValid) { $true; continue }
            $state = Read-LabState -ReadOnly
            $kind = $null
            if ($target.Provider -eq 'Registry') {
                if (Test-LabRegistryKey $state $target.Key) { $kind = 'Container' }
            }
            else { $kind = Get-LabCertPathKind $state $target }
            ($null -ne $kind) -and ($PathType -eq 'Any' -or $PathType -eq $kind)
        }
    }
}

function Get-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Force,
        [pscredential]$Credential,
        [string[]]$Stream
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target) { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Get-Item' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState -ReadOnly
            if ($target.Provider -eq 'Registry') {
                if (Test-LabRegistryKey $state $target.Key) { New-LabRegistryKeyObject $state (Get-LabCanonicalKey $state $target.Key) }
                else { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetItemCommand')) }
                continue
            }
            $items = @(Get-LabCertItems $state $target -Self)
            if ($items.Count -eq 0) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetItemCommand')); continue }
            $items
        }
    }
}

function Get-LabCanonicalKey {
    param([System.Collections.IDictionary]$State, [string]$Key)
    $name = Find-LabRegistryKeyName $State $Key
    if ($name) { return $name }
    return $Key
}

# Certificates (or stores) a Cert:\ path designates; -Self for Get-Item, children for Get-ChildItem.
function Get-LabCertItems {
    param([System.Collections.IDictionary]$State, [hashtable]$Target, [switch]$Self)
    if ($Target.Thumbprint) {
        if (-not $Self) { return }
        $certs = Get-LabStoreCerts $State $Target.Store
        foreach ($c in @($certs)) { if ($c.thumbprint -eq $Target.Thumbprint) { ConvertTo-LabCertificateObject $c (Get-LabStoreName $State $Target.Store) } }
        return
    }
    if ($Target.Store) {
        if (-not (Test-LabStore $State $Target.Store)) { return }
        $name = Get-LabStoreName $State $Target.Store
        if ($Self) { return New-LabCertStoreObject $name }
        foreach ($c in (Get-LabStoreCerts $State $Target.Store)) { ConvertTo-LabCertificateObject $c $name }
        return
    }
    if ($Target.Location) {
        if ($Self) { return New-LabObject -TypeName @('Microsoft.PowerShell.Commands.X509StoreLocation', 'System.Object') -Property ([ordered]@{ Location = $Target.Location; PSPath = Get-LabCertPSPath $Target.Location $null $null }) }
        $names = [System.Collections.Generic.List[string]]::new()
        foreach ($k in $script:KnownStores) { $names.Add($k) }
        foreach ($k in $State.certificates.Keys) { if (-not $names.Contains($k)) { $names.Add($k) } }
        foreach ($n in $names) { New-LabCertStoreObject $n }
        return
    }
    foreach ($l in 'CurrentUser', 'LocalMachine') { New-LabObject -TypeName @('Microsoft.PowerShell.Commands.X509StoreLocation', 'System.Object') -Property ([ordered]@{ Location = $l; PSPath = Get-LabCertPSPath $l $null $null }) }
}

function New-LabCertStoreObject {
    param([string]$Name)
    return New-LabObject -TypeName @('System.Security.Cryptography.X509Certificates.X509Store', 'System.Object') -Property ([ordered]@{
            Name = $Name; Location = 'LocalMachine'; PSPath = Get-LabCertPSPath 'LocalMachine' $Name $null; PSChildName = $Name; PSIsContainer = $true
        })
}

function Get-ChildItem {
    [CmdletBinding(DefaultParameterSetName = 'Items')]
    param(
        [Parameter(ParameterSetName = 'Items', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralItems', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [Alias('s', 'r')][switch]$Recurse,
        [uint32]$Depth,
        [switch]$Force,
        [switch]$Name,
        [switch]$Directory,
        [switch]$File,
        [switch]$Hidden,
        [switch]$ReadOnly,
        [switch]$System,
        [switch]$FollowSymlink,
        [object]$Attributes,
        [switch]$SSLServerAuthentication,
        [switch]$CodeSigningCert,
        [switch]$DocumentEncryptionCert,
        [string]$DnsName,
        [string[]]$Eku,
        [int]$ExpiringInDays
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target) {
                $bound = @{}
                foreach ($k in $PSBoundParameters.Keys) { if ($k -notin 'SSLServerAuthentication', 'CodeSigningCert', 'DocumentEncryptionCert', 'DnsName', 'Eku', 'ExpiringInDays') { $bound[$k] = $PSBoundParameters[$k] } }
                Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Get-ChildItem' $bound $args0.Parameter $p
                continue
            }
            $state = Read-LabState -ReadOnly
            if ($target.Provider -eq 'Registry') {
                if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetChildItemCommand')); continue }
                Get-LabRegistryChildren $state (Get-LabCanonicalKey $state $target.Key) $Recurse.IsPresent $Name.IsPresent
                continue
            }
            $exists = (-not $target.Store) -or (Test-LabStore $state $target.Store)
            if (-not $exists) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetChildItemCommand')); continue }
            $now = Get-LabNow $state
            foreach ($c in @(Get-LabCertItems $state $target)) {
                if ($SSLServerAuthentication -and -not (@($c.EnhancedKeyUsageList | Where-Object { $_.ObjectId -eq '1.3.6.1.5.5.7.3.1' }).Count)) { continue }
                if ($CodeSigningCert -and -not (@($c.EnhancedKeyUsageList | Where-Object { $_.ObjectId -eq '1.3.6.1.5.5.7.3.3' }).Count)) { continue }
                if ($DnsName -and -not (@($c.DnsNameList | Where-Object { Test-LabLike $_.Unicode $DnsName }).Count)) { continue }
                if ($Eku -and -not (@($c.EnhancedKeyUsageList | Where-Object { $e = $_; @($Eku | Where-Object { Test-LabLike $e.FriendlyName $_ }).Count }).Count)) { continue }
                if ($PSBoundParameters.ContainsKey('ExpiringInDays') -and -not ($c.NotAfter -le $now.AddDays($ExpiringInDays) -and $c.NotAfter -ge $now)) { continue }
                if ($Name) { $c.PSChildName } else { $c }
            }
        }
    }
}

function Get-LabRegistryChildren {
    param([System.Collections.IDictionary]$State, [string]$Key, [bool]$Recurse, [bool]$NameOnly)
    foreach ($child in (Get-LabRegistrySubKeyNames $State $Key)) {
        $childKey = Get-LabCanonicalKey $State "$Key\$child"
        if ($NameOnly) { $child } else { New-LabRegistryKeyObject $State $childKey }
        if ($Recurse) { Get-LabRegistryChildren $State $childKey $true $NameOnly }
    }
}

function New-Item {
    [CmdletBinding(DefaultParameterSetName = 'pathSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'pathSet', Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'nameSet', Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'nameSet', Mandatory, ValueFromPipelineByPropertyName)][AllowNull()][AllowEmptyString()][string]$Name,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('Type')][string]$ItemType,
        [Parameter(ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('Target')][object]$Value,
        [switch]$Force,
        [pscredential]$Credential
    )
    process {
        $paths = if ($Path) { @($Path) } else { @('.') }
        foreach ($p in $paths) {
            $full = if ($Name) { "$($p.TrimEnd('\'))\$Name" } else { $p }
            $target = Resolve-LabProviderPath $full
            if ($null -eq $target) { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\New-Item' $PSBoundParameters 'Path' $p; continue }
            if ($target.Provider -eq 'Certificate') { New-LabCertStore $PSCmdlet $full $target; continue }
            $state = Read-LabState
            $key = $target.Key
            $parent = $key.Substring(0, $key.LastIndexOf('\'))
            if ((Test-LabRegistryKey $state $key) -and -not $Force) {
                $PSCmdlet.WriteError((New-LabErrorRecord -Message 'A key at this path already exists.' -ErrorId 'System.IO.IOException' -Category ResourceExists `
                            -TargetObject $full -ExceptionType 'System.IO.IOException' -OriginatorType 'Microsoft.PowerShell.Commands.NewItemCommand'))
                continue
            }
            if (-not $Force -and -not (Test-LabRegistryKey $state $parent)) {
                $PSCmdlet.WriteError((New-LabPathNotFoundError ($full.Substring(0, $full.Replace('/', '\').LastIndexOf('\'))) 'NewItemCommand'))
                continue
            }
            if (-not $PSCmdlet.ShouldProcess("Item: $full", 'New Item')) { continue }
            # As on Windows, -Force on an existing key deletes it (values and subkeys) and creates it empty.
            Remove-LabRegistryKey $state $key
            [void](Get-LabRegistryValues $state $key -Create)
            if ($null -ne $Value) { (Get-LabRegistryValues $state $key)['(default)'] = ConvertTo-LabRegistryValue 'String' $Value }
            Save-LabState $state
            New-LabRegistryKeyObject $state $key
        }
    }
}

function Remove-LabRegistryKey {
    param([System.Collections.IDictionary]$State, [string]$Key)
    $prefix = $Key + '\'
    foreach ($k in @($State.registry.Keys)) {
        if ([string]::Equals($k, $Key, [StringComparison]::OrdinalIgnoreCase) -or $k.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase)) { $State.registry.Remove($k) }
    }
}

function Remove-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Recurse,
        [switch]$Force,
        [pscredential]$Credential,
        [string[]]$Stream,
        [switch]$DeleteKey
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target) {
                $bound = @{}
                foreach ($k in $PSBoundParameters.Keys) { if ($k -ne 'DeleteKey') { $bound[$k] = $PSBoundParameters[$k] } }
                Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Remove-Item' $bound $args0.Parameter $p
                continue
            }
            $state = Read-LabState
            if ($target.Provider -eq 'Registry') {
                if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'RemoveItemCommand')); continue }
                if ($PSCmdlet.ShouldProcess("Item: $p", 'Remove Key')) { Remove-LabRegistryKey $state $target.Key; Save-LabState $state }
                continue
            }
            $kind = Get-LabCertPathKind $state $target
            if ($null -eq $kind) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'RemoveItemCommand')); continue }
            if ($kind -eq 'Container') { Remove-LabCertContainer $PSCmdlet $state $p $target $Recurse.IsPresent $DeleteKey.IsPresent; continue }
            $certs = Get-LabStoreCerts $state $target.Store
            $victim = @($certs | Where-Object { $_.thumbprint -eq $target.Thumbprint })
            $action = if ($DeleteKey) { 'Remove certificate and its private key.' } else { 'Remove certificate' }
            if ($PSCmdlet.ShouldProcess("Item: $(Get-LabCertProviderPath $target) ", $action)) {
                [void]$certs.Remove($victim[0])
                Save-LabState $state
            }
        }
    }
}

function Get-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][Alias('PSProperty')][string[]]$Name,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target -or $target.Provider -ne 'Registry') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Get-ItemProperty' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState -ReadOnly
            if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetItemPropertyCommand')); continue }
            $key = Get-LabCanonicalKey $state $target.Key
            $values = Get-LabRegistryValues $state $key
            $selected = [ordered]@{}
            $missing = [System.Collections.Generic.List[string]]::new()
            $wanted = if ($Name) { @($Name) } else { @('*') }
            foreach ($w in $wanted) {
                $hit = $false
                if ($values) {
                    foreach ($n in $values.Keys) { if (Test-LabLike $n $w) { $selected[$n] = ConvertFrom-LabRegistryValue $values[$n]; $hit = $true } }
                }
                if (-not $hit -and -not (Test-LabWildcard $w)) { $missing.Add($w) }
            }
            if ($selected.Count -gt 0) {
                Add-LabProviderProperties $selected $key
                [pscustomobject]$selected
            }
            foreach ($m in $missing) { $PSCmdlet.WriteError((New-LabMissingValueError $m $key 'GetItemPropertyCommand')) }
        }
    }
}

function New-LabMissingValueError {
    param([string]$Name, [string]$Key, [string]$CommandClass)
    return New-LabErrorRecord -Message "Property $Name does not exist at path $(Get-LabRegistryNativeName $Key)." -ErrorId 'System.Management.Automation.PSArgumentException' `
        -Category InvalidArgument -TargetObject $Name -ExceptionType 'System.Management.Automation.PSArgumentException' -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"
}

function Get-ItemPropertyValue {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory, Position = 1)][Alias('PSProperty')][string[]]$Name,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target -or $target.Provider -ne 'Registry') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Get-ItemPropertyValue' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState -ReadOnly
            if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'GetItemPropertyValueCommand')); continue }
            $key = Get-LabCanonicalKey $state $target.Key
            $values = Get-LabRegistryValues $state $key
            foreach ($n in $Name) {
                $found = Find-LabRegistryValueName $values $n
                if (-not $found) {
                    # Terminating on Windows too: -ErrorAction SilentlyContinue does not suppress it.
                    $record = New-LabErrorRecord -Message "Property $n does not exist at path $(Get-LabRegistryNativeName $key)." -ErrorId 'Argument' `
                        -Category InvalidArgument -TargetObject $null -ExceptionType 'System.Management.Automation.PSArgumentException' `
                        -OriginatorType 'Microsoft.PowerShell.Commands.GetItemPropertyValueCommand'
                    $PSCmdlet.ThrowTerminatingError($record)
                }
                ConvertFrom-LabRegistryValue $values[$found]
            }
        }
    }
}

function Set-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'propertyValuePathSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'propertyValuePathSet', Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'propertyPSObjectPathSet', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Mandatory, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'propertyPSObjectLiteralPathSet', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(ParameterSetName = 'propertyValuePathSet', Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Mandatory, Position = 1, ValueFromPipelineByPropertyName)][Alias('PSProperty')][string]$Name,
        [Parameter(ParameterSetName = 'propertyValuePathSet', Position = 2, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Position = 2, ValueFromPipelineByPropertyName)][AllowNull()][object]$Value,
        [Parameter(ParameterSetName = 'propertyPSObjectPathSet', Mandatory, ValueFromPipeline)]
        [Parameter(ParameterSetName = 'propertyPSObjectLiteralPathSet', Mandatory, ValueFromPipeline)][psobject]$InputObject,
        [Microsoft.Win32.RegistryValueKind]$Type,
        [switch]$PassThru,
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target -or $target.Provider -ne 'Registry') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Set-ItemProperty' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState
            if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'SetItemPropertyCommand')); continue }
            $key = Get-LabCanonicalKey $state $target.Key
            $pairs = [ordered]@{}
            if ($InputObject) { foreach ($prop in $InputObject.PSObject.Properties) { if ($prop.Name -notlike 'PS*') { $pairs[$prop.Name] = $prop.Value } } }
            else { $pairs[$Name] = $Value }
            $values = Get-LabRegistryValues $state $key -Create
            $changed = $false
            foreach ($n in $pairs.Keys) {
                if (-not $PSCmdlet.ShouldProcess("Item: $p Property: $n", 'Set Property')) { continue }
                $existing = Find-LabRegistryValueName $values $n
                $kind = if ($PSBoundParameters.ContainsKey('Type')) { [string]$Type } elseif ($existing) { $values[$existing].type } else { Get-LabRegistryKindOf $pairs[$n] }
                $storeName = if ($existing) { $existing } else { $n }
                $values[$storeName] = ConvertTo-LabRegistryValue $kind $pairs[$n]
                $changed = $true
            }
            if ($changed) { Save-LabState $state }
            if ($PassThru) { Get-ItemProperty -LiteralPath $key -Name @($pairs.Keys) }
        }
    }
}

function New-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)][Alias('PSProperty')][string]$Name,
        [Parameter(ValueFromPipelineByPropertyName)][Alias('Type')][string]$PropertyType,
        [Parameter(ValueFromPipelineByPropertyName)][AllowNull()][object]$Value,
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target -or $target.Provider -ne 'Registry') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\New-ItemProperty' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState
            if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'NewItemPropertyCommand')); continue }
            $key = Get-LabCanonicalKey $state $target.Key
            $values = Get-LabRegistryValues $state $key -Create
            $existing = Find-LabRegistryValueName $values $Name
            if ($existing -and -not $Force) {
                $PSCmdlet.WriteError((New-LabErrorRecord -Message 'The property already exists.' -ErrorId 'System.IO.IOException' -Category ResourceExists `
                            -TargetObject $p -ExceptionType 'System.IO.IOException' -OriginatorType 'Microsoft.PowerShell.Commands.NewItemPropertyCommand'))
                continue
            }
            $kind = if ($PropertyType) { [string]([Microsoft.Win32.RegistryValueKind]$PropertyType) } else { 'String' }
            if (-not $PSCmdlet.ShouldProcess("Item: $p Property: $Name", 'New Property')) { continue }
            if ($existing) { $values.Remove($existing) }
            $data = $Value
            if ($null -eq $data) { $data = switch ($kind) { 'DWord' { 0 } 'QWord' { 0 } 'Binary' { [byte[]]@() } 'MultiString' { [string[]]@() } default { '' } } }
            $values[$Name] = ConvertTo-LabRegistryValue $kind $data
            Save-LabState $state
            $out = [ordered]@{ $Name = ConvertFrom-LabRegistryValue $values[$Name] }
            Add-LabProviderProperties $out $key
            [pscustomobject]$out
        }
    }
}

function Remove-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)][Alias('PSProperty')][string[]]$Name,
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $target = Resolve-LabProviderPath $p
            if ($null -eq $target -or $target.Provider -ne 'Registry') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Remove-ItemProperty' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState
            if (-not (Test-LabRegistryKey $state $target.Key)) { $PSCmdlet.WriteError((New-LabPathNotFoundError $p 'RemoveItemPropertyCommand')); continue }
            $key = Get-LabCanonicalKey $state $target.Key
            $values = Get-LabRegistryValues $state $key
            $changed = $false
            foreach ($n in $Name) {
                $found = @()
                if ($values) { $found = @($values.Keys | Where-Object { Test-LabLike $_ $n }) }
                if ($found.Count -eq 0) {
                    if (-not (Test-LabWildcard $n)) { $PSCmdlet.WriteError((New-LabMissingValueError $n $key 'RemoveItemPropertyCommand')) }
                    continue
                }
                foreach ($f in $found) {
                    if ($PSCmdlet.ShouldProcess("Item: $p Property: $f", 'Remove Property')) { $values.Remove($f); $changed = $true }
                }
            }
            if ($changed) { Save-LabState $state }
        }
    }
}
