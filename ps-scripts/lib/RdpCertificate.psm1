#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the RDP listener's certificate the way Windows chooses it, and the certificate state the
    certificate fix records: shared by the certificate and Remote Desktop service scripts.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpCertificate.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The thumbprint RDP-Tcp is bound to (SSLCertificateSHA1Hash), or $null when none is set.
function Get-BoundThumbprint {
    $item = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name SSLCertificateSHA1Hash -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return (@($item.SSLCertificateSHA1Hash) | ForEach-Object { ([byte]$_).ToString('X2') }) -join ''
}

# The certificates of a LocalMachine store (none when the store does not exist).
function Get-StoreCertificate([string] $Store) {
    $path = "Cert:\LocalMachine\$Store"
    if (-not (Test-Path -LiteralPath $path)) { return @() }
    return @(Get-ChildItem -LiteralPath $path)
}

# Whether the listener's account can read the certificate's private key.
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

# A certificate as the scripts report it: names, usages, expiry, key.
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

# The certificate the listener uses: the bound one, else the newest self-signed one in Remote Desktop.
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

# The certificates in LocalMachine\My the listener could use for these names, best first.
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

# The names a client may use for this server (given ones, computer name, DNS name).
function Get-ServerName {
    # Advanced, so that the caller's -Verbose reaches Write-Verbose (a module does not see the caller's preferences).
    [CmdletBinding()]
    param([string[]] $Extra)
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

# The state the certificate fix records and its undo restores.
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

# Whether a recorded state has a listener certificate that clients can use.
function Test-CertificateUsable($State, [string] $Suspect) {
    # A suspect certificate (other evidence says its key is unusable) counts only when its key is known readable.
    $c = $State.listener
    if ($null -eq $c -or $c.expired -or -not $c.hasPrivateKey -or $c.keyReadable -eq $false) { return $false }
    return -not ($Suspect -and $c.thumbprint -eq $Suspect.ToUpperInvariant() -and $c.keyReadable -ne $true)
}
