# The registry over state.registry: keys, typed values, and RegistryKey-like objects.

$script:LabEnvironment = @{
    SystemRoot = 'C:\Windows'; windir = 'C:\Windows'; SystemDrive = 'C:'; ProgramData = 'C:\ProgramData'
    ProgramFiles = 'C:\Program Files'; 'ProgramFiles(x86)' = 'C:\Program Files (x86)'
}

function Find-LabRegistryKeyName {
    param([System.Collections.IDictionary]$State, [string]$Key)
    foreach ($k in $State.registry.Keys) { if ([string]::Equals($k, $Key, [StringComparison]::OrdinalIgnoreCase)) { return $k } }
    return $null
}

function Test-LabRegistryKey {
    param([System.Collections.IDictionary]$State, [string]$Key)
    if ($Key -match '^HK(LM|CU):\\?$') { return $Key -like 'HKLM*' }
    $prefix = $Key + '\'
    foreach ($k in $State.registry.Keys) {
        if ([string]::Equals($k, $Key, [StringComparison]::OrdinalIgnoreCase)) { return $true }
        if ($k.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

# The value map of a key (created on demand when -Create), or $null when the key has no entry.
function Get-LabRegistryValues {
    param([System.Collections.IDictionary]$State, [string]$Key, [switch]$Create)
    $name = Find-LabRegistryKeyName $State $Key
    if ($name) { return , $State.registry[$name] }
    if (-not $Create) { return $null }
    $values = New-LabMap
    $State.registry[$Key] = $values
    return , $values
}

function Get-LabRegistrySubKeyNames {
    param([System.Collections.IDictionary]$State, [string]$Key)
    $prefix = $Key.TrimEnd('\') + '\'
    $names = [System.Collections.Generic.List[string]]::new()
    foreach ($k in $State.registry.Keys) {
        if (-not $k.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase)) { continue }
        $child = $k.Substring($prefix.Length).Split('\')[0]
        if ($child -and -not ($names | Where-Object { $_ -eq $child })) { $names.Add($child) }
    }
    return , $names
}

function Expand-LabEnvironment {
    param([string]$Text)
    return [regex]::Replace($Text, '%([^%]+)%', {
            param($m)
            $n = $m.Groups[1].Value
            foreach ($k in $script:LabEnvironment.Keys) { if ($k -eq $n) { return $script:LabEnvironment[$k] } }
            return $m.Value
        })
}

function ConvertFrom-LabRegistryValue {
    param([System.Collections.IDictionary]$Value, [switch]$NoExpand)
    $data = $Value.value
    switch ($Value.type) {
        'DWord' { return [BitConverter]::ToInt32([BitConverter]::GetBytes([uint32][long]$data), 0) }
        'QWord' { return [BitConverter]::ToInt64([BitConverter]::GetBytes([uint64][string]$data), 0) }
        'ExpandString' { if ($NoExpand) { return [string]$data } return (Expand-LabEnvironment ([string]$data)) }
        'MultiString' { return [string[]]@($data) }
        'Binary' { return , [byte[]][Convert]::FromHexString([string]$data) }
        default { return [string]$data }
    }
}

function Get-LabRegistryKindOf {
    param($Data)
    if ($Data -is [int] -or $Data -is [int16] -or $Data -is [byte] -or $Data -is [uint16] -or $Data -is [uint32]) { return 'DWord' }
    if ($Data -is [long] -or $Data -is [uint64]) { return 'QWord' }
    if ($Data -is [byte[]]) { return 'Binary' }
    if ($Data -is [array]) { return 'MultiString' }
    return 'String'
}

function ConvertTo-LabRegistryValue {
    param([string]$Kind, $Data)
    $entry = New-LabMap
    if ($Kind -in 'Unknown', 'None', '') { $Kind = 'String' }
    $entry.type = $Kind
    switch ($Kind) {
        'DWord' {
            $n = [long][System.Management.Automation.LanguagePrimitives]::ConvertTo($Data, [long])
            if ($n -lt 0) { $n += 4294967296L }
            $entry.value = $n
        }
        'QWord' {
            $n = [System.Management.Automation.LanguagePrimitives]::ConvertTo($Data, [long])
            $entry.value = [long]$n
            if ($n -lt 0) { $entry.value = [string][uint64]([decimal]$n + [decimal]18446744073709551616) }
        }
        'Binary' {
            if ($Data -is [string]) { $bytes = [Convert]::FromHexString(($Data -replace '[^0-9A-Fa-f]', '')) }
            else { $bytes = [byte[]]@($Data) }
            $entry.value = [Convert]::ToHexString($bytes)
        }
        'MultiString' { $entry.value = [System.Collections.Generic.List[object]]@(@($Data) | ForEach-Object { [string]$_ }) }
        default { $entry.value = [string]$Data }
    }
    return $entry
}

function Find-LabRegistryValueName {
    param([System.Collections.IDictionary]$Values, [string]$Name)
    if ($null -eq $Values) { return $null }
    foreach ($n in $Values.Keys) { if ([string]::Equals($n, $Name, [StringComparison]::OrdinalIgnoreCase)) { return $n } }
    return $null
}

function Add-LabProviderProperties {
    param([System.Collections.IDictionary]$Property, [string]$Key)
    $Property['PSPath'] = Get-LabRegistryPSPath $Key
    $parent = $Key.Substring(0, [Math]::Max($Key.LastIndexOf('\'), 0))
    $Property['PSParentPath'] = Get-LabRegistryPSPath $parent
    $Property['PSChildName'] = $Key.Split('\')[-1]
    $Property['PSDrive'] = $Key.Substring(0, 4)
    $Property['PSProvider'] = 'Microsoft.PowerShell.Core\Registry'
}

# A Microsoft.Win32.RegistryKey look-alike: a snapshot with GetValueNames/GetValue/GetValueKind.
function New-LabRegistryKeyObject {
    param([System.Collections.IDictionary]$State, [string]$Key)
    $values = Get-LabRegistryValues $State $Key
    if ($null -eq $values) { $values = New-LabMap }
    $subKeys = Get-LabRegistrySubKeyNames $State $Key
    $p = [ordered]@{
        Property     = [string[]]@($values.Keys)
        PSPath       = $null
        PSParentPath = $null
        PSChildName  = $null
        PSDrive      = $null
        PSProvider   = $null
        PSIsContainer = $true
        SubKeyCount  = $subKeys.Count
        View         = 'Default'
        Handle       = $null
        ValueCount   = $values.Count
        Name         = Get-LabRegistryNativeName $Key
    }
    Add-LabProviderProperties $p $Key
    $object = New-LabObject -TypeName @('Microsoft.Win32.RegistryKey', 'System.MarshalByRefObject', 'System.Object') -Property $p
    $snapshot = $values
    $children = [string[]]@($subKeys)
    # Closures run outside this module, so they carry the converter with them.
    $convert = ${function:ConvertFrom-LabRegistryValue}
    $methods = @{
        GetValueNames   = { return , [string[]]@($snapshot.Keys) }.GetNewClosure()
        GetSubKeyNames  = { return , $children }.GetNewClosure()
        GetValue        = {
            param([string]$Name, $DefaultValue, $Options)
            foreach ($n in $snapshot.Keys) {
                if ([string]::Equals($n, $Name, [StringComparison]::OrdinalIgnoreCase)) {
                    return (& $convert $snapshot[$n] -NoExpand:([string]$Options -eq 'DoNotExpandEnvironmentNames'))
                }
            }
            return $DefaultValue
        }.GetNewClosure()
        GetValueKind    = {
            param([string]$Name)
            foreach ($n in $snapshot.Keys) {
                if ([string]::Equals($n, $Name, [StringComparison]::OrdinalIgnoreCase)) { return [Microsoft.Win32.RegistryValueKind]$snapshot[$n].type }
            }
            throw [System.IO.IOException]::new('The system cannot find the file specified.')
        }.GetNewClosure()
        ToString        = { return $this.Name }
    }
    foreach ($m in $methods.Keys) { Add-LabMember $object ([System.Management.Automation.PSScriptMethod]::new($m, $methods[$m])) }
    return $object
}
