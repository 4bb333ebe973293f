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

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'RdpBeforeState.psm1') }

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

# The file that holds a certificate's private key (CNG: ProgramData\Microsoft\Crypto\Keys; CAPI:
# ...\Crypto\RSA\MachineKeys), or $null when it is not a Windows key or cannot be opened. On .NET
# Framework GetRSAPrivateKey gives RSACng when CNG can open the key, else RSACryptoServiceProvider.
function Get-PrivateKeyFile($Certificate) {
    try {
        $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
        if ($null -eq $key) { return $null }
        $typeName = $key.GetType().Name
        if ($typeName -eq 'RSACng') { $name = [string]$key.Key.UniqueName }
        elseif ($typeName -eq 'RSACryptoServiceProvider') { $name = [string]$key.CspKeyContainerInfo.UniqueKeyContainerName }
        else { return $null }
    } catch {
        # This account cannot open the key: that says nothing about NETWORK SERVICE.
        return $null
    }
    if (-not $name) { return $null }
    $root = [Environment]::GetFolderPath('CommonApplicationData')
    foreach ($folder in 'Microsoft\Crypto\Keys', 'Microsoft\Crypto\RSA\MachineKeys') {
        $file = Join-Path (Join-Path $root $folder) $name
        if (Test-Path -LiteralPath $file) { return $file }
    }
    return $null
}

<#
  Whether NETWORK SERVICE (TermService's account) may read a key file, from its ACL as Windows
  evaluates it: a Deny entry for one of its SIDs (itself, Everyone, Authenticated Users, SERVICE,
  BUILTIN\Users) that covers read wins; otherwise an Allow entry for one of them must grant read.
  Read is ReadData (0x1) or a generic right Get-Acl leaves unmapped on key files: GENERIC_READ
  (0x80000000) or GENERIC_ALL (0x10000000). $null when the ACL cannot be read.
#>
function Test-KeyFileReadable([string] $Path) {
    try { $acl = Get-Acl -LiteralPath $Path } catch { return $null }
    if ($null -eq $acl) { return $null }
    $sids = 'S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-6', 'S-1-5-32-545'
    $allowed = $false
    foreach ($rule in @($acl.Access)) {
        try { $sid = [string]$rule.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value } catch { continue }
        if ($sids -notcontains $sid) { continue }
        $mask = ([int64]([int]$rule.FileSystemRights)) -band 0xFFFFFFFFL
        if (($mask -band 0x90000001L) -eq 0) { continue }
        if ([string]$rule.AccessControlType -eq 'Deny') { return $false }
        $allowed = $true
    }
    return $allowed
}

# Whether the listener's account can read the certificate's private key ($null: cannot tell).
function Test-KeyReadable($Certificate) {
    if (-not $Certificate.HasPrivateKey) { return $false }
    $file = Get-PrivateKeyFile $Certificate
    if ($null -eq $file) { return $null }
    return Test-KeyFileReadable $file
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
    $notBefore = [datetime]$Certificate.NotBefore
    [pscustomobject]@{
        store         = $Store
        subject       = [string]$Certificate.Subject
        issuer        = [string]$Certificate.Issuer
        thumbprint    = [string]$Certificate.Thumbprint
        dnsNames      = [string[]]$dnsNames
        enhancedKeyUsages = [string[]]$ekus
        notAfter      = $notAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
        notBefore     = $notBefore.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
        expired       = ($notAfter -le $Now)
        notYetValid   = ($notBefore -gt $Now)
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
        $usable = $nameMatch -and -not $view.expired -and -not $view.notYetValid -and $view.hasPrivateKey -and ($view.keyReadable -ne $false) -and
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
        $cert = [pscustomobject]@{ store = $c.store; subject = $c.subject; thumbprint = $c.thumbprint; notBefore = $c.notBefore; notAfter = $c.notAfter; expired = $c.expired; notYetValid = $c.notYetValid; hasPrivateKey = $c.hasPrivateKey; keyReadable = $c.keyReadable }
    }
    $backupPath = "Cert:\LocalMachine\$BackupStore"
    $backupExists = Test-Path -LiteralPath $backupPath
    $backup = @()
    if ($backupExists) { $backup = @(Get-ChildItem -LiteralPath $backupPath | ForEach-Object { [string]$_.Thumbprint } | Sort-Object) }
    [pscustomobject]@{
        bindingThumbprint = $listener.registryThumbprint
        hashType          = $listener.hashType
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
    if ($null -eq $c -or $c.expired -or (Get-Field $c 'notYetValid') -or -not $c.hasPrivateKey -or $c.keyReadable -eq $false) { return $false }
    return -not ($Suspect -and $c.thumbprint -eq $Suspect.ToUpperInvariant() -and $c.keyReadable -ne $true)
}

# Why the certificate fix must not act, or $null: Group Policy's certificate template decides the
# listener certificate (Win32_TSGeneralSetting SSLCertificateSHA1HashType 2, "default group policy
# enforced"); renewing self-signed certificates would not touch the one in use.
function Get-CertificatePolicyBlock($State, [bool] $Usable) {
    if ($Usable -or [int](Get-Field $State 'hashType') -ne 2) { return $null }
    return 'Group Policy decides the RDP certificate (a certificate template, SSLCertificateSHA1HashType 2): renew it through auto-enrollment (certutil -pulse) or change the GPO; psremedy will not replace it.'
}

<#
  Deletes a self-signed certificate Windows issued during a change, keeping its private key: the
  RDP self-signed key likely lives in one fixed key container that the certificate put back also
  uses (so -DeleteKey could leave that one keyless), and deleting a private key over a remote
  session needs delegated credentials (about_Certificate_Provider, 5.1). A failure is a warning,
  so the undo goes on to put the old certificates back.
#>
function Remove-IssuedRdpCertificate([string] $Thumbprint, [string] $What, [System.Management.Automation.PSCmdlet] $Cmdlet) {
    $path = "Cert:\LocalMachine\Remote Desktop\$Thumbprint"
    if (-not $Cmdlet.ShouldProcess($path, $What)) { return }
    try {
        Remove-Item -LiteralPath $path
    } catch {
        $Cmdlet.WriteWarning("Could not delete certificate ${Thumbprint}: $($_.Exception.Message). Delete it by hand (certlm.msc, Remote Desktop store).")
    }
}
