# ACLs of files and folders on the lab host's disk (the real folder behind $env:ProgramData, see
# lab/STATE.md "Disk"): Get-Acl returns a FileSecurity/DirectorySecurity-like object whose SDDL
# can be read and replaced (ObjectSecurity.GetSecurityDescriptorSddlForm /
# SetSecurityDescriptorSddlForm), and Set-Acl stores it with the disk (file-acls.json beside
# ProgramData: an ACL belongs to the file, not to the host's configuration). A path with no stored
# ACL shows what a new folder under ProgramData inherits on Windows (SYSTEM and Administrators full
# control, Users read and create: the reason a protected folder must break inheritance).

$script:LabInheritedProgramDataSddl = 'O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)'
$script:LabSddlAccounts = @{ SY = 'NT AUTHORITY\SYSTEM'; BA = 'BUILTIN\Administrators'; BU = 'BUILTIN\Users'; WD = 'Everyone'; AU = 'NT AUTHORITY\Authenticated Users'; CO = 'CREATOR OWNER' }

function Get-LabFileAclKey {
    param([string]$Path)
    return [IO.Path]::GetFullPath($Path).TrimEnd([IO.Path]::DirectorySeparatorChar)
}

# The access rules an SDDL's DACL grants (ACE strings like (A;OICI;FA;;;SY)).
function ConvertFrom-LabSddlAccess {
    param([string]$Sddl)
    $rights = @{ FA = 'FullControl'; FR = 'Read'; FW = 'Write'; FX = 'ReadAndExecute' }
    foreach ($m in [regex]::Matches($Sddl, '\((A|D);([A-Z]*);([^;]*);[^;]*;[^;]*;([A-Z]{2}|S-1-[0-9-]+)\)')) {
        $account = $script:LabSddlAccounts[$m.Groups[4].Value]
        if (-not $account) { $account = $m.Groups[4].Value }
        $r = $m.Groups[3].Value
        $value = if ($rights.ContainsKey($r)) { $rights[$r] } else { $r }
        $rule = New-LabKeyAccessRule $account $value $(if ($m.Groups[1].Value -eq 'A') { 'Allow' } else { 'Deny' })
        $rule.IsInherited = $m.Groups[2].Value.Contains('ID')
        $rule
    }
}

# Where the disk keeps ACLs set with Set-Acl: <host>.disk/file-acls.json (full path -> SDDL).
function Get-LabFileAclStore {
    return [IO.Path]::Combine([IO.Path]::GetDirectoryName($env:ProgramData), 'file-acls.json')
}

function Read-LabFileAcls {
    $store = Get-LabFileAclStore
    if (-not [IO.File]::Exists($store)) { return New-LabMap }
    return ConvertFrom-LabJson ([IO.File]::ReadAllText($store))
}

function Get-LabFileAcl {
    param([string]$Path)
    $key = Get-LabFileAclKey $Path
    $sddl = $script:LabInheritedProgramDataSddl
    $stored = Read-LabFileAcls
    if ($stored.Contains($key)) { $sddl = [string]$stored[$key] }
    $isFolder = [IO.Directory]::Exists($Path)
    $acl = [pscustomobject]@{
        PSTypeName = $(if ($isFolder) { 'System.Security.AccessControl.DirectorySecurity' } else { 'System.Security.AccessControl.FileSecurity' })
        Path = $key; Sddl = $sddl; Owner = $null; Access = @(); AreAccessRulesProtected = $false
    }
    $acl | Add-Member -MemberType ScriptMethod -Name GetSecurityDescriptorSddlForm -Value { param($Sections) $this.Sddl }
    $acl | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value { param($Text, $Sections) Update-LabAclView $this ([string]$Text) }
    Update-LabAclView $acl $sddl
    return $acl
}

function Update-LabAclView {
    param($Acl, [string]$Sddl)
    $Acl.Sddl = $Sddl
    $owner = [regex]::Match($Sddl, '^O:([A-Z]{2}|S-1-[0-9-]+)')
    $Acl.Owner = $(if ($owner.Success -and $script:LabSddlAccounts.ContainsKey($owner.Groups[1].Value)) { $script:LabSddlAccounts[$owner.Groups[1].Value] } else { $null })
    $Acl.AreAccessRulesProtected = [regex]::IsMatch($Sddl, 'D:[A-Z]*P')
    $Acl.Access = @(ConvertFrom-LabSddlAccess $Sddl)
}

function Set-Acl {
    [CmdletBinding(DefaultParameterSetName = 'ByPath', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ByPath', Mandatory, Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByLiteralPath', Mandatory)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline)][object]$AclObject,
        [switch]$Passthru
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        $stored = Read-LabFileAcls
        # A deleted file takes its ACL with it.
        foreach ($k in @($stored.Keys)) { if (-not ([IO.Directory]::Exists($k) -or [IO.File]::Exists($k))) { $stored.Remove($k) } }
        foreach ($p in $args0.Paths) {
            if (-not ([IO.Directory]::Exists($p) -or [IO.File]::Exists($p))) {
                $PSCmdlet.WriteError((New-LabErrorRecord -Message "Cannot find path '$p' because it does not exist." -ErrorId 'SetAcl_PathNotFound_Exception' -Category ObjectNotFound -TargetObject $p))
                continue
            }
            if (-not $PSCmdlet.ShouldProcess($p, 'Set-Acl')) { continue }
            $stored[(Get-LabFileAclKey $p)] = [string]$AclObject.Sddl
            if ($Passthru) { $AclObject }
        }
        Save-LabState $stored (Get-LabFileAclStore)
    }
}
