# Provider paths the lab owns: the registry (HKLM:\, Registry::HKEY_LOCAL_MACHINE\) and the
# certificate store (Cert:\LocalMachine\<store>\<thumbprint>). Everything else goes to the host's
# own provider cmdlets.

function Resolve-LabProviderPath {
    param([string]$Path)
    if ([string]::IsNullOrEmpty($Path)) { return $null }
    $p = $Path.Replace('/', '\')
    $m = [regex]::Match($p, '^(?:Microsoft\.PowerShell\.Core\\)?Registry::(HKEY_LOCAL_MACHINE|HKLM|HKEY_CURRENT_USER|HKCU)(?:\\(.*))?$', 'IgnoreCase')
    if (-not $m.Success) { $m = [regex]::Match($p, '^(HKLM|HKCU):\\?(.*)$', 'IgnoreCase') }
    if ($m.Success) {
        $hive = if ($m.Groups[1].Value -match '^(HKLM|HKEY_LOCAL_MACHINE)$') { 'HKLM' } else { 'HKCU' }
        $rest = $m.Groups[2].Value.Trim('\')
        $rest = [regex]::Replace($rest, '\\+', '\')
        $key = "${hive}:\" + $rest
        return @{ Provider = 'Registry'; Key = $key.TrimEnd('\'); Hive = $hive; Relative = $rest; Original = $Path }
    }
    $m = [regex]::Match($p, '^(?:(?:Microsoft\.PowerShell\.Security\\)?Certificate::|Cert:)\\?(.*)$', 'IgnoreCase')
    if ($m.Success) {
        $parts = @($m.Groups[1].Value.Split('\', [StringSplitOptions]::RemoveEmptyEntries))
        $result = @{ Provider = 'Certificate'; Location = $null; Store = $null; Thumbprint = $null; Original = $Path }
        if ($parts.Count -ge 1) { $result.Location = $parts[0] }
        if ($parts.Count -ge 2) { $result.Store = $parts[1] }
        if ($parts.Count -ge 3) { $result.Thumbprint = $parts[2] }
        return $result
    }
    return $null
}

function Get-LabRegistryNativeName {
    param([string]$Key)
    $hive = if ($Key.StartsWith('HKLM', [StringComparison]::OrdinalIgnoreCase)) { 'HKEY_LOCAL_MACHINE' } else { 'HKEY_CURRENT_USER' }
    $rest = $Key.Substring(5).TrimStart('\')
    if ($rest) { return "$hive\$rest" }
    return $hive
}

function Get-LabRegistryPSPath {
    param([string]$Key)
    return 'Microsoft.PowerShell.Core\Registry::' + (Get-LabRegistryNativeName $Key)
}

function Get-LabCertPSPath {
    param([string]$Location, [string]$Store, [string]$Thumbprint)
    $path = 'Microsoft.PowerShell.Security\Certificate::' + $Location
    if ($Store) { $path += "\$Store" }
    if ($Thumbprint) { $path += "\$Thumbprint" }
    return $path
}

function New-LabPathNotFoundError {
    param([string]$Path, [string]$CommandClass)
    return New-LabErrorRecord -Message "Cannot find path '$Path' because it does not exist." -ErrorId 'PathNotFound' -Category ObjectNotFound `
        -TargetObject $Path -ExceptionType 'System.Management.Automation.ItemNotFoundException' -OriginatorType "Microsoft.PowerShell.Commands.$CommandClass"
}

# Calls the host's own provider cmdlet for a path the lab does not own.
function Invoke-LabHostCommand {
    param([string]$Command, [System.Collections.IDictionary]$Bound, [string]$PathParameter, [string]$Path)
    $splat = @{}
    foreach ($k in $Bound.Keys) { $splat[$k] = $Bound[$k] }
    if ($PathParameter) { $splat[$PathParameter] = $Path }
    & $Command @splat
}
