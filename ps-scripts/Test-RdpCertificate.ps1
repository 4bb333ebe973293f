#Requires -Version 5.1
<#
.SYNOPSIS
    Checks on the server the certificate the RDP listener presents: which one is bound, whether
    it has expired, and whether its private key exists and is readable by NETWORK SERVICE.

.DESCRIPTION
    The binding comes from Win32_TSGeneralSetting.SSLCertificateSHA1Hash (and the RDP-Tcp
    registry value of the same name for a custom certificate). The certificate is looked up in
    LocalMachine\My, then LocalMachine\Remote Desktop (where Windows keeps its self-signed one).
    Also lists valid certificates in My that name this server, for the renewal fix.

.PARAMETER HostName
    Names the certificate should carry (default: this computer's name and DNS name).

.OUTPUTS
    One object: usable (found, valid, key present and not known unreadable), binding { thumbprint, type, registry }, certificate { store, subject, thumbprint,
    notAfter, expired, daysLeft, hasPrivateKey, keyReadable, selfSigned }, candidates, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string[]] $HostName = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$serverAuth = '1.3.6.1.5.5.7.3.1'

function New-Finding([string] $Cause, [double] $Confidence, [string] $Evidence) {
    [pscustomobject]@{ cause = $Cause; confidence = $Confidence; evidence = $Evidence }
}

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

$now = Get-Date
$listener = Get-ListenerCertificate $now
$names = @(Get-ServerName $HostName)
if ($null -ne $listener.certificate) { $names = @($names + $listener.certificate.dnsNames | Select-Object -Unique) }
$candidates = @(Get-CandidateCertificate $names $now)
$cert = $listener.certificate

$findings = New-Object System.Collections.Generic.List[object]
if ($null -eq $cert) {
    if ($listener.registryThumbprint) {
        $findings.Add((New-Finding 'cert-expired' 0.8 "The RDP listener is bound to certificate $($listener.registryThumbprint) (SSLCertificateSHA1Hash under RDP-Tcp), which is in neither LocalMachine\My nor LocalMachine\Remote Desktop."))
    } else {
        $findings.Add((New-Finding 'cert-expired' 0.7 'The RDP listener has no certificate: LocalMachine\Remote Desktop holds no self-signed certificate and none is bound.'))
    }
} else {
    $name = $cert.subject
    $when = ([datetime]$cert.notAfter).ToUniversalTime().ToString('yyyy-MM-dd')
    if ($cert.expired) {
        $kind = 'custom'
        if ($cert.selfSigned) { $kind = 'self-signed' }
        $findings.Add((New-Finding 'cert-expired' 0.95 ("The RDP listener's $kind certificate $name (thumbprint $($cert.thumbprint), store $($cert.store)) expired $when, {0} days ago." -f (-$cert.daysLeft))))
    } else {
        $findings.Add((New-Finding 'cert-expired' 0 "The RDP listener's certificate $name is valid until $when ($($cert.daysLeft) days left)."))
    }
    if (-not $cert.hasPrivateKey) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0.95 "The RDP listener's certificate $name (thumbprint $($cert.thumbprint)) has no private key in store $($cert.store)."))
    } elseif ($cert.keyReadable -eq $false) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0.9 "NETWORK SERVICE cannot read the private key of the RDP listener's certificate $name (thumbprint $($cert.thumbprint)); Remote Desktop Services runs as NETWORK SERVICE."))
    } elseif ($cert.keyReadable -eq $true) {
        $findings.Add((New-Finding 'cert-key-unreadable' 0 "The private key of $name is present and readable by NETWORK SERVICE."))
    }
}

[pscustomobject]@{
    usable      = ($null -ne $cert -and -not $cert.expired -and $cert.hasPrivateKey -and $cert.keyReadable -ne $false)
    binding     = [pscustomobject]@{ registryThumbprint = $listener.registryThumbprint; cimThumbprint = $listener.cimThumbprint; hashType = $listener.hashType }
    certificate = $cert
    serverNames = [string[]]$names
    candidates  = $candidates
    findings    = $findings.ToArray()
}
