#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: gives the RDP listener a usable certificate: binds a valid certificate from
    LocalMachine\My that names this server, or has Windows issue a new self-signed one.

.DESCRIPTION
    Mode Auto binds the best certificate in LocalMachine\My (name matches this server, not expired,
    private key readable, Server Authentication) and otherwise renews the self-signed certificate.
    Renewal removes a custom binding that points at an unusable certificate, moves the unusable
    self-signed certificates from 'Remote Desktop' into the BackupStore store (not deleted, so the
    undo can put them back), and restarts Remote Desktop Services, which issues a new self-signed
    certificate. The restart drops open RDP sessions. Supports -WhatIf.

.PARAMETER Mode
    Auto, RenewSelfSigned, or BindFromStore.

.PARAMETER Thumbprint
    With BindFromStore: the certificate in LocalMachine\My to bind (default: the best match).

.PARAMETER HostName
    Names the certificate must carry (default: this computer's name and DNS name).

.PARAMETER BackupStore
    LocalMachine store that keeps replaced self-signed certificates for the undo.

.PARAMETER SuspectThumbprint
    A certificate other evidence (Schannel 36870, TLS failing with a valid certificate) says the
    listener cannot use: it counts as unusable unless its key is known to be readable.

.OUTPUTS
    { changed, before, after, changes, action } (before/after: the state of Test-RdpCertificateState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
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

$before = Get-RdpCertificateState $BackupStore
$changes = New-Object System.Collections.Generic.List[string]
$now = Get-Date
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$action = 'none'

if ($Mode -ne 'Auto' -or -not (Test-CertificateUsable $before $SuspectThumbprint)) {
    $names = @(Get-ServerName $HostName)
    $listener = Get-ListenerCertificate $now
    if ($null -ne $listener.certificate) { $names = @($names + $listener.certificate.dnsNames | Select-Object -Unique) }
    $candidates = @(Get-CandidateCertificate $names $now | Where-Object { $_.thumbprint -ne $SuspectThumbprint.ToUpperInvariant() })
    $chosen = $null
    if ($Mode -eq 'BindFromStore') {
        if ($Thumbprint) {
            $chosen = @($candidates | Where-Object { $_.thumbprint -eq $Thumbprint.ToUpperInvariant() }) | Select-Object -First 1
            if ($null -eq $chosen) { throw "Certificate $Thumbprint is not a usable certificate in LocalMachine\My for $($names -join ', ') (it must name this server, be valid, have a readable private key and allow Server Authentication)." }
        } elseif ($candidates.Count -gt 0) {
            $chosen = $candidates[0]
        } else {
            throw "LocalMachine\My has no usable certificate for $($names -join ', '); use Mode RenewSelfSigned or install one."
        }
    } elseif ($Mode -eq 'Auto' -and $candidates.Count -gt 0) {
        $chosen = $candidates[0]
    }

    if ($null -ne $chosen) {
        $action = 'bind'
        $what = "bind certificate $($chosen.subject) ($($chosen.thumbprint), valid until $($chosen.notAfter)) from LocalMachine\My to the RDP listener"
        if ($PSCmdlet.ShouldProcess('RDP-Tcp', $what)) {
            $setting = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
            Set-CimInstance -InputObject $setting -Property @{ SSLCertificateSHA1Hash = $chosen.thumbprint }
        }
        $changes.Add($what)
    } else {
        $action = 'renew'
        if ($before.bindingThumbprint) {
            $what = "remove the binding to certificate $($before.bindingThumbprint) (SSLCertificateSHA1Hash) so the listener uses its self-signed certificate"
            if ($PSCmdlet.ShouldProcess($rdpTcpKey, $what)) { Remove-ItemProperty -LiteralPath $rdpTcpKey -Name SSLCertificateSHA1Hash }
            $changes.Add($what)
        }
        $unusable = @(Get-StoreCertificate 'Remote Desktop' | ForEach-Object { Get-CertificateView $_ 'Remote Desktop' $now } | Where-Object { $_.expired -or -not $_.hasPrivateKey -or $_.keyReadable -eq $false -or ($SuspectThumbprint -and $_.thumbprint -eq $SuspectThumbprint.ToUpperInvariant() -and $_.keyReadable -ne $true) })
        if ($unusable.Count -gt 0 -and -not $before.backupStoreExists) {
            $what = "create certificate store LocalMachine\$BackupStore to keep the replaced certificates"
            if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\$BackupStore", $what)) { New-Item -Path "Cert:\LocalMachine\$BackupStore" | Out-Null }
            $changes.Add($what)
        }
        foreach ($old in $unusable) {
            $what = "move self-signed certificate $($old.subject) ($($old.thumbprint), not after $($old.notAfter)) from 'Remote Desktop' to $BackupStore"
            if ($PSCmdlet.ShouldProcess("Cert:\LocalMachine\Remote Desktop\$($old.thumbprint)", $what)) {
                Move-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$($old.thumbprint)" -Destination "Cert:\LocalMachine\$BackupStore"
            }
            $changes.Add($what)
        }
        $verb = 'restart'
        if ($before.termServiceStatus -ne 'Running') { $verb = 'start' }
        $what = "$verb TermService so Windows issues a new self-signed certificate (open RDP sessions drop)"
        if ($PSCmdlet.ShouldProcess('TermService', $what)) {
            if ($verb -eq 'restart') { Restart-Service -Name TermService -Force } else { Start-Service -Name TermService }
            if (-not (Test-CertificateUsable (Get-RdpCertificateState $BackupStore) $SuspectThumbprint)) {
                throw 'Remote Desktop Services restarted but no usable self-signed certificate appeared in LocalMachine\Remote Desktop. Check the CertPropSvc, KeyIso and SessionEnv services, the permissions of MachineKeys, and System events 1057/1058.'
            }
        }
        $changes.Add($what)
    }
}

[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    action  = $action
    before  = $before
    after   = Get-RdpCertificateState $BackupStore
    changes = $changes.ToArray()
}
