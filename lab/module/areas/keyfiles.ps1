# Private key files under %ProgramData%\Microsoft\Crypto\RSA\MachineKeys (CAPI) and
# ...\Microsoft\Crypto\Keys (CNG): Test-Path and Get-Acl for the key file a certificate names with
# `keyFile` (its unique container name), with the ACL of `keyAcl` (lab/STATE.md, "Certificates").
# Get-Acl's rules carry the raw FileSystemRights number, so generic rights (GENERIC_READ
# 0x80000000, GENERIC_ALL 0x10000000) stay unmapped as Windows shows them on key files.

$script:KeyFilePattern = '[\\/]Microsoft[\\/]Crypto[\\/](RSA[\\/]MachineKeys|Keys)[\\/]([^\\/]+)$'
$script:LabAccountSids = @{
    'NT AUTHORITY\NETWORK SERVICE' = 'S-1-5-20'; 'Everyone' = 'S-1-1-0'; 'NT AUTHORITY\Authenticated Users' = 'S-1-5-11'
    'NT AUTHORITY\SERVICE' = 'S-1-5-6'; 'BUILTIN\Users' = 'S-1-5-32-545'; 'BUILTIN\Administrators' = 'S-1-5-32-544'; 'NT AUTHORITY\SYSTEM' = 'S-1-5-18'
}
$script:LabRightNames = @{
    ReadData = 0x1; Read = 0x20089; ReadAndExecute = 0x200a9; Modify = 0x301bf; FullControl = 0x1f01ff; Write = 0x116
    GENERIC_READ = 0x80000000; GENERIC_ALL = 0x10000000; GENERIC_WRITE = 0x40000000; GENERIC_EXECUTE = 0x20000000
}

# The certificate whose key file a path names, or $null.
function Find-LabKeyFileCertificate {
    param([System.Collections.IDictionary]$State, [string]$Path)
    $m = [regex]::Match($Path, $script:KeyFilePattern)
    if (-not $m.Success) { return $null }
    $leaf = $m.Groups[2].Value
    foreach ($store in @($State.certificates.Keys)) {
        foreach ($c in @($State.certificates[$store])) {
            if ($null -ne $c -and $c.Contains('keyFile') -and [string]$c.keyFile -eq $leaf -and $c.hasPrivateKey) { return $c }
        }
    }
    return $null
}

function ConvertTo-LabRightsMask {
    param($Rights)
    if ($Rights -is [int] -or $Rights -is [long] -or $Rights -is [double] -or $Rights -is [decimal]) { return [long]$Rights -band 0xFFFFFFFFL }
    $mask = [long]0
    foreach ($name in ([string]$Rights -split ',')) {
        $n = $name.Trim()
        if ($script:LabRightNames.ContainsKey($n)) { $mask = $mask -bor [long]$script:LabRightNames[$n] }
        elseif ($n -match '^(0x[0-9a-fA-F]+|\d+)$') { $mask = $mask -bor [long]$n }
    }
    return $mask
}

# One access rule as Get-Acl shows it: IdentityReference (an NTAccount: Value, Translate to a SID).
function New-LabKeyAccessRule {
    param([string]$Identity, $Rights, [string]$Type)
    $sid = $Identity
    $account = $Identity
    if ($Identity -notmatch '^S-1-') { $sid = $script:LabAccountSids[$Identity]; if (-not $sid) { $sid = 'S-1-0-0' } }
    else { foreach ($k in $script:LabAccountSids.Keys) { if ($script:LabAccountSids[$k] -eq $Identity) { $account = $k } } }
    $identityReference = [pscustomobject]@{ PSTypeName = 'System.Security.Principal.NTAccount'; Value = $account }
    $sidValue = $sid
    $identityReference | Add-Member -MemberType ScriptMethod -Name Translate -Value ({ param($TargetType) [pscustomobject]@{ PSTypeName = 'System.Security.Principal.SecurityIdentifier'; Value = $sidValue } }.GetNewClosure())
    $identityReference | Add-Member -MemberType ScriptMethod -Name ToString -Force -Value ({ $account }.GetNewClosure())
    $mask = ConvertTo-LabRightsMask $Rights
    if ($mask -gt [int]::MaxValue) { $raw = [int]($mask - 0x100000000L) } else { $raw = [int]$mask }
    [pscustomobject]@{
        PSTypeName        = 'System.Security.AccessControl.FileSystemAccessRule'
        FileSystemRights  = $raw
        AccessControlType = $Type
        IdentityReference = $identityReference
        IsInherited       = $false
        InheritanceFlags  = 'None'
        PropagationFlags  = 'None'
    }
}

function Get-LabKeyFileAcl {
    param([System.Collections.IDictionary]$Certificate, [string]$Path)
    $entries = @()
    if ($Certificate.Contains('keyAcl') -and $null -ne $Certificate.keyAcl) { $entries = @($Certificate.keyAcl) }
    else {
        $entries = @(@{ identity = 'NT AUTHORITY\SYSTEM'; rights = 'FullControl'; type = 'Allow' }, @{ identity = 'BUILTIN\Administrators'; rights = 'FullControl'; type = 'Allow' })
        if (-not ($Certificate.Contains('keyReadableByNetworkService') -and $Certificate.keyReadableByNetworkService -eq $false)) {
            $entries += @{ identity = 'NT AUTHORITY\NETWORK SERVICE'; rights = 'Read'; type = 'Allow' }
        }
    }
    $rules = @($entries | ForEach-Object { New-LabKeyAccessRule ([string]$_.identity) $_.rights ([string]$_.type) })
    [pscustomobject]@{ PSTypeName = 'System.Security.AccessControl.FileSecurity'; Path = $Path; Owner = 'NT AUTHORITY\SYSTEM'; Access = $rules }
}

function Get-Acl {
    [CmdletBinding(DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(ParameterSetName = 'ByPath', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByLiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Audit,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        $state = Read-LabState -ReadOnly
        foreach ($p in $args0.Paths) {
            $cert = Find-LabKeyFileCertificate $state $p
            if ($null -ne $cert) { Get-LabKeyFileAcl $cert $p; continue }
            if ([IO.Directory]::Exists($p) -or [IO.File]::Exists($p)) { Get-LabFileAcl $p; continue }
            $record = New-LabErrorRecord -Message "Cannot find path '$p' because it does not exist." -ErrorId 'GetAcl_PathNotFound_Exception' -Category ObjectNotFound -TargetObject $p
            $PSCmdlet.WriteError($record)
        }
    }
}
