# Error records shaped like the real cmdlets' (message, ErrorId, category, exception type, target).

function New-LabErrorRecord {
    param(
        [string]$Message,
        [string]$ErrorId,
        [System.Management.Automation.ErrorCategory]$Category,
        $TargetObject,
        [string]$ExceptionType = 'System.Exception',
        # For compiled cmdlets the FQID names the .NET class (NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand).
        [string]$OriginatorType
    )
    $exception = ($ExceptionType -as [type])::new($Message)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
    if ($OriginatorType) { Set-LabErrorOriginator $record "$ErrorId,$OriginatorType" }
    return $record
}

function Set-LabErrorOriginator {
    param([System.Management.Automation.ErrorRecord]$Record, [string]$FullyQualifiedErrorId)
    # A function's errors get ",<function name>" appended; compiled cmdlets use their class name.
    # The engine keeps a precomputed FQID for deserialized records; we use the same slot.
    $flags = [System.Reflection.BindingFlags]'NonPublic, Instance'
    $idField = [System.Management.Automation.ErrorRecord].GetField('_serializedFullyQualifiedErrorId', $flags)
    $serializedField = [System.Management.Automation.ErrorRecord].GetField('_isSerialized', $flags)
    if ($idField -and $serializedField) {
        $idField.SetValue($Record, $FullyQualifiedErrorId)
        $serializedField.SetValue($Record, $true)
    }
}

function New-LabCimNotFoundError {
    param([string]$ClassName, [string]$Property, [string]$Value)
    $message = "No $ClassName objects found with property '$Property' equal to '$Value'.  Verify the value of the property and retry."
    return New-LabErrorRecord -Message $message -ErrorId "CmdletizationQuery_NotFound_$Property" -Category ObjectNotFound `
        -TargetObject $Value -ExceptionType 'Microsoft.PowerShell.Cmdletization.Cim.CimJobException'
}

function Test-LabWildcard {
    param([string]$Value)
    return [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Value)
}

function Test-LabLike {
    param([string]$Value, [string]$Pattern)
    return [System.Management.Automation.WildcardPattern]::new($Pattern, [System.Management.Automation.WildcardOptions]::IgnoreCase).IsMatch($Value)
}

# Filters items by one string property against values (wildcards allowed) and reports, as CDXML
# does, each exact value that matched nothing.
function Select-LabByValue {
    param([object[]]$Item, [scriptblock]$Key, [string[]]$Value, [string]$ClassName, [string]$Property, [System.Collections.Generic.List[object]]$NotFound)
    $selected = [System.Collections.Generic.List[object]]::new()
    $matched = @{}
    foreach ($i in $Item) {
        $text = [string](& $Key $i)
        $hit = $false
        foreach ($v in $Value) {
            if (Test-LabLike $text $v) { $hit = $true; $matched[$v] = $true }
        }
        if ($hit) { $selected.Add($i) }
    }
    foreach ($v in $Value) {
        if (-not $matched.ContainsKey($v) -and -not (Test-LabWildcard $v) -and $null -ne $NotFound) {
            $NotFound.Add((New-LabCimNotFoundError $ClassName $Property $v))
        }
    }
    return , $selected
}

function Test-LabBound {
    param([System.Collections.IDictionary]$Map, [string]$Key)
    return @($Map.Keys) -contains $Key
}
