#Requires -Version 5.1
<#
.SYNOPSIS
    Fix undo: puts the RDP listener's certificate setup back exactly as Repair-RdpCertificate.ps1
    found it.

.DESCRIPTION
    Restores the SSLCertificateSHA1Hash binding (or its absence), deletes the self-signed
    certificates Windows issued since, moves the kept ones back from the backup store into
    'Remote Desktop', removes the backup store if the apply created it, and stops TermService if
    it was stopped. It does not restart TermService: on start Windows would replace an expired
    self-signed certificate again. Supports -WhatIf.

.PARAMETER Before
    The before object Repair-RdpCertificate.ps1 returned (as data: a hashtable or an object).

.OUTPUTS
    { changed, before, after, changes }.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [object] $Before,
    [ValidateSet('Auto', 'RenewSelfSigned', 'BindFromStore')]
    [string] $Mode = 'Auto',

    [string] $Thumbprint = '',

    [string[]] $HostName = @(),

    [ValidateNotNullOrEmpty()]
    [string] $BackupStore = 'PSRemedyBackup',

    [string] $SuspectThumbprint = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

#region certificate (shared by Test-RdpCertificate.ps1, Test-RdpCertificateState.ps1, Repair-RdpCertificate.ps1, Restore-RdpCertificate.ps1: keep identical)
function Get-BoundThumbprint {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name SSLCertificateSHA1Hash -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return (@($item.SSLCertificateSHA1Hash) | ForEach-Object { ([byte]$_).ToString('X2') }) -join ''
}

function Get-StoreCertificate([string] $Store) {
    $path = "Cert:\LocalMachine\$Store"
    if (-not (Test-Path -LiteralPath $path)) { return @() }
    return @(Get-ChildItem -LiteralPath $path)
}

function Test-KeyReadable($Certificate) {
    # $true / $false, or $null when the key file's ACL cannot be read (not Windows, or no access).
    if (-not $Certificate.HasPrivateKey) { return $false }
    $names = @()
    try {
        $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    } catch {
        return $false
    }
    if ($null -eq $key) { return $null }
    $typeName = $key.GetType().Name
    if ($typeName -eq 'RSACng') { $names = @($key.Key.UniqueName) }
    elseif ($typeName -eq 'RSACryptoServiceProvider') { $names = @($key.CspKeyContainerInfo.UniqueKeyContainerName) }
    else { return $null }
    $root = [Environment]::GetFolderPath('CommonApplicationData')
    foreach ($name in $names) {
        foreach ($folder in 'Microsoft\Crypto\Keys', 'Microsoft\Crypto\RSA\MachineKeys') {
            $file = Join-Path (Join-Path $root $folder) $name
            if (-not (Test-Path -LiteralPath $file)) { continue }
            $readers = 'S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545'
            foreach ($rule in (Get-Acl -LiteralPath $file).Access) {
                if ([string]$rule.AccessControlType -ne 'Allow') { continue }
                try { $sid = $rule.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value } catch { continue }
                if (($readers -contains $sid) -and (([int]$rule.FileSystemRights -band 0x1) -ne 0)) { return $true }
            }
            return $false
        }
    }
    return $null
}

function Get-CertificateView($Certificate, [string] $Store, [datetime] $Now) {
    $dnsNames = @()
    if ($Certificate.PSObject.Properties['DnsNameList'] -and $null -ne $Certificate.DnsNameList) {
        $dnsNames = @($Certificate.DnsNameList | ForEach-Object { [string]$_ })
    }
    if ($dnsNames.Count -eq 0) {
        $cn = [regex]::Match([string]$Certificate.Subject, 'CN=([^,]+)')
        if ($cn.Success) { $dnsNames = @($cn.Groups[1].Value.Trim()) }
    }
    $ekus = @()
    if ($Certificate.PSObject.Properties['EnhancedKeyUsageList'] -and $null -ne $Certificate.EnhancedKeyUsageList) {
        $ekus = @($Certificate.EnhancedKeyUsageList | ForEach-Object { [string]$_.ObjectId })
    }
    $notAfter = [datetime]$Certificate.NotAfter
    [pscustomobject]@{
        store         = $Store
        subject       = [string]$Certificate.Subject
        issuer        = [string]$Certificate.Issuer
        thumbprint    = [string]$Certificate.Thumbprint
        dnsNames      = [string[]]$dnsNames
        enhancedKeyUsages = [string[]]$ekus
        notAfter      = $notAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
        expired       = ($notAfter -le $Now)
        daysLeft      = [int][math]::Floor(($notAfter - $Now).TotalDays)
        hasPrivateKey = [bool]$Certificate.HasPrivateKey
        keyReadable   = (Test-KeyReadable $Certificate)
        selfSigned    = ([string]$Certificate.Subject -eq [string]$Certificate.Issuer)
    }
}

function Get-ListenerCertificate([datetime] $Now) {
    $bound = Get-BoundThumbprint
    $setting = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
    $cimHash = ([string]$setting.SSLCertificateSHA1Hash).ToUpperInvariant()
    $hashType = [int]$setting.SSLCertificateSHA1HashType
    $wanted = $bound
    if (-not $wanted -and $cimHash -and $cimHash -notmatch '^0+$') { $wanted = $cimHash }
    $view = $null
    foreach ($store in 'My', 'Remote Desktop') {
        if ($null -ne $view -or -not $wanted) { continue }
        $match = @(Get-StoreCertificate $store | Where-Object { $_.Thumbprint -eq $wanted }) | Select-Object -First 1
        if ($null -ne $match) { $view = Get-CertificateView $match $store $Now }
    }
    if ($null -eq $view -and -not $bound) {
        $newest = @(Get-StoreCertificate 'Remote Desktop' | Where-Object { $_.Subject -eq $_.Issuer } | Sort-Object -Property NotAfter -Descending) | Select-Object -First 1
        if ($null -ne $newest) { $view = Get-CertificateView $newest 'Remote Desktop' $Now }
    }
    [pscustomobject]@{ registryThumbprint = $bound; cimThumbprint = $cimHash; hashType = $hashType; wanted = $wanted; certificate = $view }
}

function Get-CandidateCertificate([string[]] $Names, [datetime] $Now) {
    $candidates = foreach ($cert in (Get-StoreCertificate 'My')) {
        $view = Get-CertificateView $cert 'My' $Now
        $nameMatch = @($view.dnsNames | Where-Object { $Names -contains $_ }).Count -gt 0
        $usable = $nameMatch -and -not $view.expired -and $view.hasPrivateKey -and ($view.keyReadable -ne $false) -and
            ($view.enhancedKeyUsages.Count -eq 0 -or $view.enhancedKeyUsages -contains '1.3.6.1.5.5.7.3.1')
        if ($usable) { $view }
    }
    return @($candidates | Sort-Object -Property @{ Expression = 'selfSigned'; Ascending = $true }, @{ Expression = 'daysLeft'; Descending = $true })
}

function Get-ServerName([string[]] $Extra) {
    $names = New-Object System.Collections.Generic.List[string]
    foreach ($n in $Extra) { if ($n) { $names.Add($n) } }
    $computer = [Environment]::MachineName
    if ($env:COMPUTERNAME) { $computer = $env:COMPUTERNAME }
    $names.Add($computer)
    $domain = $null
    if ($env:USERDNSDOMAIN) { $domain = $env:USERDNSDOMAIN }
    try {
        $system = Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop
        if ($system.Domain -and $system.Domain -ne 'WORKGROUP') { $domain = [string]$system.Domain }
        if ($system.Name) { $computer = [string]$system.Name; $names.Add($computer) }
    } catch {
        Write-Verbose "Win32_ComputerSystem is not available: $($_.Exception.Message)"
    }
    if ($domain) { $names.Add("$computer.$domain") }
    return @($names | Select-Object -Unique)
}
#endregion

#region state (shared by Test-RdpCertificateState.ps1, Repair-RdpCertificate.ps1, Restore-RdpCertificate.ps1: keep identical)
function Get-RdpCertificateState([string] $BackupStore) {
    $now = Get-Date
    $listener = Get-ListenerCertificate $now
    $cert = $null
    if ($null -ne $listener.certificate) {
        $c = $listener.certificate
        $cert = [pscustomobject]@{ store = $c.store; subject = $c.subject; thumbprint = $c.thumbprint; notAfter = $c.notAfter; expired = $c.expired; hasPrivateKey = $c.hasPrivateKey; keyReadable = $c.keyReadable }
    }
    $backupPath = "Cert:\LocalMachine\$BackupStore"
    $backupExists = Test-Path -LiteralPath $backupPath
    $backup = @()
    if ($backupExists) { $backup = @(Get-ChildItem -LiteralPath $backupPath | ForEach-Object { [string]$_.Thumbprint } | Sort-Object) }
    [pscustomobject]@{
        bindingThumbprint = $listener.registryThumbprint
        listener          = $cert
        remoteDesktop     = [string[]]@(Get-StoreCertificate 'Remote Desktop' | ForEach-Object { [string]$_.Thumbprint } | Sort-Object)
        backupStore       = $BackupStore
        backupStoreExists = $backupExists
        backup            = [string[]]$backup
        termServiceStatus = [string](Get-Service -Name TermService).Status
    }
}

function Test-CertificateUsable($State, [string] $Suspect) {
    # A suspect certificate (other evidence says its key is unusable) counts only when its key is known readable.
    $c = $State.listener
    if ($null -eq $c -or $c.expired -or -not $c.hasPrivateKey -or $c.keyReadable -eq $false) { return $false }
    return -not ($Suspect -and $c.thumbprint -eq $Suspect.ToUpperInvariant() -and $c.keyReadable -ne $true)
}
#endregion

function Get-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Set-RegDword([string] $Path, [string] $Name, $Value) {
    # $null removes the value, so a value that was absent before is absent again.
    $exists = $null -ne (Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue)
    if ($null -eq $Value) {
        if ($exists) { Remove-ItemProperty -LiteralPath $Path -Name $Name }
    } elseif ($exists) {
        Set-ItemProperty -LiteralPath $Path -Name $Name -Value ([int]$Value)
    } else {
        New-ItemProperty -LiteralPath $Path -Name $Name -PropertyType DWord -Value ([int]$Value) | Out-Null
    }
}

$store = [string](Get-Field $Before 'backupStore')
if (-not $store) { $store = $BackupStore }
$current = Get-RdpCertificateState $store
$changes = New-Object System.Collections.Generic.List[string]
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

$wantBinding = [string](Get-Field $Before 'bindingThumbprint')
if ($wantBinding -ne [string]$current.bindingThumbprint) {
    if (-not $wantBinding) {
        $what = 'remove the SSLCertificateSHA1Hash binding again'
        if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Remove-ItemProperty -LiteralPath $rdpTcpKey -Name SSLCertificateSHA1Hash }
    } else {
        $what = "bind the RDP listener to certificate $wantBinding again"
        if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) {
            $bytes = New-Object byte[] ($wantBinding.Length / 2)
            for ($i = 0; $i -lt $bytes.Length; $i++) { $bytes[$i] = [Convert]::ToByte($wantBinding.Substring($i * 2, 2), 16) }
            if ($null -ne $current.bindingThumbprint) {
                Set-ItemProperty -LiteralPath $rdpTcpKey -Name SSLCertificateSHA1Hash -Value $bytes
            } else {
                New-ItemProperty -LiteralPath $rdpTcpKey -Name SSLCertificateSHA1Hash -PropertyType Binary -Value $bytes | Out-Null
            }
        }
    }
    $changes.Add($what)
}

$wantRemoteDesktop = @(Get-Field $Before 'remoteDesktop' | Where-Object { $_ })
foreach ($thumb in $current.remoteDesktop) {
    if ($wantRemoteDesktop -notcontains $thumb) {
        $what = "delete self-signed certificate $thumb that Windows issued after the change"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\Remote Desktop\$thumb", $what)) { Remove-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$thumb" -DeleteKey }
        $changes.Add($what)
    }
}
foreach ($thumb in $wantRemoteDesktop) {
    if ($current.remoteDesktop -contains $thumb) { continue }
    if ($current.backup -contains $thumb) {
        $what = "move certificate $thumb back from $store to 'Remote Desktop'"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$store\$thumb", $what)) { Move-Item -LiteralPath "Cert:\LocalMachine\$store\$thumb" -Destination 'Cert:\LocalMachine\Remote Desktop' }
        $changes.Add($what)
    } else {
        Write-Warning "Certificate $thumb was in 'Remote Desktop' before and is in neither that store nor $store now; it cannot be put back."
    }
}
if (-not [bool](Get-Field $Before 'backupStoreExists') -and $current.backupStoreExists) {
    $left = @(Get-ChildItem -LiteralPath "Cert:\LocalMachine\$store" | Where-Object { $wantRemoteDesktop -notcontains $_.Thumbprint })
    if ($left.Count -eq 0) {
        $what = "remove the certificate store LocalMachine\$store the change created"
        if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$store", $what)) { Remove-Item -LiteralPath "Cert:\LocalMachine\$store" }
        $changes.Add($what)
    }
}
if ([string](Get-Field $Before 'termServiceStatus') -eq 'Stopped' -and $current.termServiceStatus -ne 'Stopped') {
    $what = 'stop TermService again'
    if ($PSCmdlet.ShouldProcess('TermService', $what)) { Stop-Service -Name TermService -Force }
    $changes.Add($what)
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $current
    after   = Get-RdpCertificateState $store
    changes = $changes.ToArray()
}
