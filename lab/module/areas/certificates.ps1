# Certificates over state.certificates: X509Certificate2 objects built from the stored PEMs, new
# self-signed certificates (New-SelfSignedCertificate and the RDP listener's own renewal).

$script:KnownStores = @('My', 'Remote Desktop', 'Root', 'CA', 'TrustedPeople', 'TrustedPublisher', 'AuthRoot', 'Disallowed', 'WebHosting')
$script:EkuNames = @{ '1.3.6.1.5.5.7.3.1' = 'Server Authentication'; '1.3.6.1.5.5.7.3.2' = 'Client Authentication'; '1.3.6.1.5.5.7.3.3' = 'Code Signing' }

function Get-LabStoreCerts {
    param([System.Collections.IDictionary]$State, [string]$Store, [switch]$Create)
    foreach ($k in $State.certificates.Keys) {
        if ([string]::Equals($k, $Store, [StringComparison]::OrdinalIgnoreCase)) { return , $State.certificates[$k] }
    }
    if ($Create) {
        $list = [System.Collections.Generic.List[object]]::new()
        $State.certificates[$Store] = $list
        return , $list
    }
    return $null
}

# The certificates of a store, one by one (for pipelines).
function Get-LabStoreCertItems {
    param([System.Collections.IDictionary]$State, [string]$Store)
    $list = Get-LabStoreCerts $State $Store
    if ($null -ne $list) { foreach ($c in $list) { $c } }
}

function Test-LabStore {
    param([System.Collections.IDictionary]$State, [string]$Store)
    if ($null -ne (Get-LabStoreCerts $State $Store)) { return $true }
    return @($script:KnownStores | Where-Object { $_ -eq $Store }).Count -gt 0
}

function Get-LabStoreName {
    param([System.Collections.IDictionary]$State, [string]$Store)
    foreach ($k in $State.certificates.Keys) { if ([string]::Equals($k, $Store, [StringComparison]::OrdinalIgnoreCase)) { return $k } }
    foreach ($k in $script:KnownStores) { if ($k -eq $Store) { return $k } }
    return $Store
}

function Get-LabCertDnsNames {
    param([System.Collections.IDictionary]$Cert)
    if ($Cert.Contains('dnsNames') -and @($Cert.dnsNames).Count -gt 0) { return @($Cert.dnsNames) }
    if ([string]$Cert.subject -match 'CN=([^,]+)') { return @($Matches[1]) }
    return @()
}

function Get-LabCertEkus {
    param([System.Collections.IDictionary]$Cert)
    if ($Cert.Contains('enhancedKeyUsages')) { return @($Cert.enhancedKeyUsages) }
    return @()
}

function New-LabNameObject {
    param([string]$Text, [string]$TypeName)
    $o = New-LabObject -TypeName @($TypeName, 'System.Object') -Property ([ordered]@{ Punycode = $Text; Unicode = $Text })
    Add-LabMember $o ([System.Management.Automation.PSScriptMethod]::new('ToString', { return $this.Unicode }))
    return $o
}

function New-LabEkuObject {
    param([string]$Oid)
    $name = $script:EkuNames[$Oid]
    $o = New-LabObject -TypeName @('Microsoft.CertificateServices.Commands.EnhancedKeyUsageRepresentation', 'System.Object') -Property ([ordered]@{ FriendlyName = $name; ObjectId = $Oid })
    Add-LabMember $o ([System.Management.Automation.PSScriptMethod]::new('ToString', { return "$($this.FriendlyName) ($($this.ObjectId))" }))
    return $o
}

# The object Get-ChildItem Cert:\... returns for one stored certificate.
function ConvertTo-LabCertificateObject {
    param([System.Collections.IDictionary]$Cert, [string]$Store)
    $x509 = $null
    if ($Cert.Contains('certPem') -and $Cert.certPem) {
        $type = [System.Security.Cryptography.X509Certificates.X509Certificate2]
        if ($Cert.hasPrivateKey -and $Cert.Contains('keyPem') -and $Cert.keyPem) { $x509 = $type::CreateFromPem([string]$Cert.certPem, [string]$Cert.keyPem) }
        else { $x509 = $type::CreateFromPem([string]$Cert.certPem) }
        $object = [psobject]::AsPSObject($x509)
    }
    else {
        $p = [ordered]@{
            Thumbprint = [string]$Cert.thumbprint; Subject = [string]$Cert.subject; Issuer = [string](Get-LabRuleField $Cert 'issuer' $Cert.subject)
            NotBefore = ConvertFrom-LabTimestamp $Cert.notBefore; NotAfter = ConvertFrom-LabTimestamp $Cert.notAfter
            HasPrivateKey = [bool]$Cert.hasPrivateKey; SerialNumber = [string](Get-LabRuleField $Cert 'serialNumber' '')
            FriendlyName = [string](Get-LabRuleField $Cert 'friendlyName' ''); Extensions = @(); Archived = $false; Version = 3
            DnsNameList = @(Get-LabCertDnsNames $Cert | ForEach-Object { New-LabNameObject $_ 'System.Management.Automation.DnsNameRepresentation' })
            EnhancedKeyUsageList = @(Get-LabCertEkus $Cert | ForEach-Object { New-LabEkuObject $_ })
        }
        $object = New-LabObject -TypeName @('System.Security.Cryptography.X509Certificates.X509Certificate2', 'System.Security.Cryptography.X509Certificates.X509Certificate', 'System.Object') -Property $p
    }
    $location = 'LocalMachine'
    $notes = [ordered]@{
        PSPath                   = Get-LabCertPSPath $location $Store $object.Thumbprint
        PSParentPath             = Get-LabCertPSPath $location $Store
        PSChildName              = [string]$object.Thumbprint
        PSDrive                  = 'Cert'
        PSProvider               = 'Microsoft.PowerShell.Security\Certificate'
        PSIsContainer            = $false
    }
    foreach ($n in $notes.Keys) { Add-LabMember $object ([psnoteproperty]::new($n, $notes[$n])) }
    return $object
}

function New-LabCertificateEntry {
    param([string]$Subject, [string[]]$DnsName, [datetime]$NotBefore, [datetime]$NotAfter, [string[]]$Eku, [int]$KeyLength = 2048, [string]$FriendlyName)
    $rsa = [System.Security.Cryptography.RSA]::Create($KeyLength)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $usage = [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'KeyEncipherment, DigitalSignature'
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new($usage, $false))
        $oids = [System.Security.Cryptography.OidCollection]::new()
        foreach ($o in $Eku) { [void]$oids.Add([System.Security.Cryptography.Oid]::new($o)) }
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
        if ($DnsName) {
            $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
            foreach ($d in $DnsName) { $san.AddDnsName($d) }
            $request.CertificateExtensions.Add($san.Build($false))
        }
        $cert = $request.CreateSelfSigned([DateTimeOffset]$NotBefore, [DateTimeOffset]$NotAfter)
        $entry = New-LabMap
        $entry.thumbprint = $cert.Thumbprint
        $entry.subject = $cert.Subject
        $entry.issuer = $cert.Issuer
        $entry.dnsNames = [System.Collections.Generic.List[object]]@($DnsName)
        $entry.notBefore = ConvertTo-LabTimestamp $cert.NotBefore
        $entry.notAfter = ConvertTo-LabTimestamp $cert.NotAfter
        $entry.serialNumber = $cert.SerialNumber
        if ($FriendlyName) { $entry.friendlyName = $FriendlyName }
        $entry.enhancedKeyUsages = [System.Collections.Generic.List[object]]@($Eku)
        $entry.hasPrivateKey = $true
        $entry.keyReadableByNetworkService = $true
        $entry.selfSigned = $true
        $entry.certPem = $cert.ExportCertificatePem() + "`n"
        $entry.keyPem = $rsa.ExportPkcs8PrivateKeyPem() + "`n"
        return $entry
    }
    finally { $rsa.Dispose() }
}

# Windows renews the RDP listener's self-signed certificate when TermService (or SessionEnv) starts
# and no custom certificate is bound: a missing or expired one is replaced and event 1056 logged.
function Update-LabRdpSelfSignedCertificate {
    param([System.Collections.IDictionary]$State)
    $values = Get-LabRegistryValues $State 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
    if ($values -and (Find-LabRegistryValueName $values 'SSLCertificateSHA1Hash')) { return $false }
    $now = Get-LabNow $State
    $store = Get-LabStoreCerts $State 'Remote Desktop' -Create
    $current = @($store | Where-Object { (ConvertFrom-LabTimestamp $_.notAfter) -gt $now -and (ConvertFrom-LabTimestamp $_.notBefore) -le $now })
    if ($current.Count -gt 0) { return $false }
    foreach ($old in @($store)) { [void]$store.Remove($old) }
    $fqdn = Get-LabFqdn $State
    $entry = New-LabCertificateEntry -Subject "CN=$fqdn" -DnsName @($fqdn) -NotBefore $now.AddHours(-1) -NotAfter $now.AddMonths(6) -Eku @('1.3.6.1.5.5.7.3.1')
    $store.Add($entry)
    Add-LabEvent $State -LogName 'System' -ProviderName 'Microsoft-Windows-TerminalServices-RemoteConnectionManager' -Id 1056 -Level 4 `
        -Message "A new self signed certificate to be used for RD Session Host server authentication on SSL connections has been generated. The name of this certificate is $fqdn. The SHA1 hash of the certificate is in the event data."
    return $true
}

function New-SelfSignedCertificate {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [string[]]$DnsName,
        [string]$Subject,
        [string]$CertStoreLocation = 'Cert:\LocalMachine\My',
        [datetime]$NotBefore,
        [datetime]$NotAfter,
        [string]$KeyAlgorithm = 'RSA',
        [int]$KeyLength = 2048,
        [string]$KeyExportPolicy,
        [string[]]$KeyUsage,
        [string]$KeySpec,
        [string]$HashAlgorithm,
        [string]$FriendlyName,
        [ValidateSet('Custom', 'CodeSigningCert', 'DocumentEncryptionCert', 'SSLServerAuthentication', 'DocumentEncryptionCertLegacyCsp')][string]$Type = 'SSLServerAuthentication',
        [string[]]$TextExtension,
        [string]$Provider,
        [object]$CloneCert,
        [object]$Signer,
        [string[]]$KeyUsageProperty,
        [string[]]$KeyProtection
    )
    $target = Resolve-LabProviderPath $CertStoreLocation
    if ($null -eq $target -or $target.Provider -ne 'Certificate' -or $target.Store -ne 'My' -or $target.Location -notin 'LocalMachine', 'CurrentUser' -or $target.Thumbprint) {
        $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Message "CertStoreLocation '$CertStoreLocation' is not supported: use Cert:\LocalMachine\My or Cert:\CurrentUser\My." `
                    -ErrorId 'System.ArgumentException' -Category InvalidArgument -TargetObject $CertStoreLocation -ExceptionType 'System.ArgumentException' `
                    -OriginatorType 'Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand'))
    }
    if (-not $Subject) {
        if (-not $DnsName) {
            $PSCmdlet.ThrowTerminatingError((New-LabErrorRecord -Message 'Either -DnsName or -Subject must be specified.' -ErrorId 'System.ArgumentException' `
                        -Category InvalidArgument -TargetObject $null -ExceptionType 'System.ArgumentException' -OriginatorType 'Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand'))
        }
        $Subject = "CN=$($DnsName[0])"
    }
    elseif ($Subject -notmatch '=') { $Subject = "CN=$Subject" }
    $state = Read-LabState
    $now = Get-LabNow $State
    if (-not $PSBoundParameters.ContainsKey('NotBefore')) { $NotBefore = $now.AddMinutes(-10) }
    if (-not $PSBoundParameters.ContainsKey('NotAfter')) { $NotAfter = $now.AddYears(1) }
    $eku = switch ($Type) {
        'CodeSigningCert' { @('1.3.6.1.5.5.7.3.3') }
        'SSLServerAuthentication' { @('1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1') }
        default { @('1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1') }
    }
    foreach ($t in $TextExtension) {
        if ($t -match '^2\.5\.29\.37=\{text\}(.*)$') { $eku = @($Matches[1].Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ }) }
    }
    if (-not $PSCmdlet.ShouldProcess("$Subject in $CertStoreLocation", 'Create self-signed certificate')) { return }
    $entry = New-LabCertificateEntry -Subject $Subject -DnsName $DnsName -NotBefore $NotBefore -NotAfter $NotAfter -Eku $eku -KeyLength $KeyLength -FriendlyName $FriendlyName
    (Get-LabStoreCerts $state 'My' -Create).Add($entry)
    Save-LabState $state
    ConvertTo-LabCertificateObject $entry 'My'
}
