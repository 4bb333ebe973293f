#Requires -Version 5.1
<#
.SYNOPSIS
    Probes an RDP server the way mstsc starts: X.224 Connection Request with an RDP Negotiation
    Request, the server's Connection Confirm, then TLS, reading the server certificate.

.DESCRIPTION
    Uses .NET sockets and SslStream only (Windows PowerShell 5.1 and PowerShell 7). It stops
    after the TLS handshake and never sends credentials, so it is safe against NLA servers.
    Bytes follow MS-RDPBCGR 2.2.1.1 (request) and 2.2.1.2 (confirm): the TPKT length is
    big-endian, the RDP_NEG_* fields little-endian. The certificate validation callback accepts
    any certificate and records what was wrong with it.

.PARAMETER ComputerName
    The name the admin connects to. Used for TLS SNI and the certificate name check.

.PARAMETER Address
    Where to connect (an IP address); defaults to ComputerName. Lets a DNS step pass the address
    it resolved.

.PARAMETER Port
    The RDP port the client uses.

.PARAMETER RequestedProtocols
    requestedProtocols of the RDP Negotiation Request: 0 RDP, 1 TLS, 2 CredSSP (NLA),
    8 CredSSP with Early User Authorization; combine by adding. mstsc offers 11 (TLS, CredSSP,
    HYBRID_EX); the default 3 offers TLS and CredSSP.

.PARAMETER TimeoutMs
    Limit for the TCP connect and for each read.

.PARAMETER TcpTimedOut
    The TCP step's connect to this port already timed out: report it again without waiting a
    second time (one connect timeout per run).

.OUTPUTS
    One object: tcp (connected, refused, timedOut, error), negotiation (type, selectedProtocol or
    failureCode with its name), tls (protocol, cipher, policy errors, certificate), stage (how far
    the handshake got), succeeded, and findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $ComputerName,

    [string] $Address = '',

    [ValidateRange(1, 65535)]
    [int] $Port = 3389,

    [ValidateRange(0, 31)]
    [int] $RequestedProtocols = 3,

    [ValidateRange(100, 120000)]
    [int] $TimeoutMs = 5000,

    [bool] $TcpTimedOut = $false
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }

$protocolNames = @{ 0 = 'RDP'; 1 = 'TLS'; 2 = 'CredSSP'; 4 = 'RDSTLS'; 8 = 'CredSSP-EX'; 16 = 'RDSAAD' }
$failureNames = @{
    1 = 'SSL_REQUIRED_BY_SERVER'
    2 = 'SSL_NOT_ALLOWED_BY_SERVER'
    3 = 'SSL_CERT_NOT_ON_SERVER'
    4 = 'INCONSISTENT_FLAGS'
    5 = 'HYBRID_REQUIRED_BY_SERVER'
    6 = 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER'
}

function Get-ProtocolText([int] $Mask) {
    if ($Mask -eq 0) { return 'RDP' }
    $names = foreach ($bit in 1, 2, 4, 8, 16) { if ($Mask -band $bit) { $protocolNames[$bit] } }
    return ($names -join '+')
}

function Read-Exactly([System.IO.Stream] $Stream, [int] $Count) {
    $buffer = New-Object byte[] $Count
    $offset = 0
    while ($offset -lt $Count) {
        $read = $Stream.Read($buffer, $offset, $Count - $offset)
        if ($read -le 0) { throw [System.IO.EndOfStreamException] "the server closed the connection after $offset of $Count bytes" }
        $offset += $read
    }
    return , $buffer
}

function Test-IsTimeout([System.Exception] $Exception) {
    $e = $Exception
    while ($null -ne $e) {
        if ($e -is [System.Net.Sockets.SocketException] -and $e.SocketErrorCode -eq [System.Net.Sockets.SocketError]::TimedOut) { return $true }
        if ($e -is [System.TimeoutException]) { return $true }
        $e = $e.InnerException
    }
    return $false
}

function Get-InnermostMessage([System.Exception] $Exception) {
    $e = $Exception
    $messages = New-Object System.Collections.Generic.List[string]
    while ($null -ne $e) {
        if ($e -isnot [System.Management.Automation.MethodInvocationException]) { $messages.Add($e.Message) }
        $e = $e.InnerException
    }
    return ($messages -join ' -> ')
}

function Get-CertificateDnsName([System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate) {
    $names = New-Object System.Collections.Generic.List[string]
    foreach ($extension in $Certificate.Extensions) {
        if ($extension.Oid.Value -eq '2.5.29.17') {
            # Format() yields "DNS Name=a, DNS Name=b" on Windows and "DNS:a, DNS:b" with OpenSSL.
            foreach ($part in ($extension.Format($false) -split '[,\r\n]+')) {
                $m = [regex]::Match($part.Trim(), '^(DNS Name|DNS)\s*[:=]\s*(.+)$')
                if ($m.Success) { $names.Add($m.Groups[2].Value.Trim()) }
            }
        }
    }
    $cn = $Certificate.GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $false)
    if ($names.Count -eq 0 -and $cn) { $names.Add($cn) }
    return , $names.ToArray()
}

function Test-NameMatch([string] $Name, [string[]] $DnsNames) {
    foreach ($dnsName in $DnsNames) {
        if ($dnsName -ieq $Name) { return $true }
        if ($dnsName.StartsWith('*.') -and $Name.Contains('.')) {
            if ($Name.Substring($Name.IndexOf('.')) -ieq $dnsName.Substring(1)) { return $true }
        }
    }
    return $false
}

$connectTo = $ComputerName
if ($Address) { $connectTo = $Address }
$now = Get-Date
$findings = New-Object System.Collections.Generic.List[object]
$tcp = [ordered]@{ connected = $false; refused = $false; timedOut = $false; error = $null }
$negotiation = $null
$tls = $null
$stage = 'tcp'
$succeeded = $false
$errorText = $null
$target = "${ComputerName}:$Port"
if ($Address -and $Address -ne $ComputerName) { $target = "${ComputerName} ($Address):$Port" }

$client = New-Object System.Net.Sockets.TcpClient
$ssl = $null
try {
    if ($TcpTimedOut) {
        $tcp.timedOut = $true
        $tcp.error = "not tried again: the TCP step's connect to port $Port timed out after $TimeoutMs ms"
    } else {
        try {
            $pending = $client.BeginConnect($connectTo, $Port, $null, $null)
            if (-not $pending.AsyncWaitHandle.WaitOne($TimeoutMs)) {
                $tcp.timedOut = $true
                throw [System.TimeoutException] "no answer to the TCP connect within $TimeoutMs ms"
            }
            $client.EndConnect($pending)
            $tcp.connected = $true
        } catch {
            $inner = $_.Exception
            while ($null -ne $inner.InnerException -and $inner -isnot [System.Net.Sockets.SocketException]) { $inner = $inner.InnerException }
            if ($inner -is [System.Net.Sockets.SocketException] -and $inner.SocketErrorCode -eq [System.Net.Sockets.SocketError]::ConnectionRefused) {
                $tcp.refused = $true
            } elseif (Test-IsTimeout $_.Exception) {
                $tcp.timedOut = $true
            }
            $tcp.error = Get-InnermostMessage $_.Exception
        }
    }

    if ($tcp.connected) {
        $stage = 'x224'
        $stream = $client.GetStream()
        $stream.ReadTimeout = $TimeoutMs
        $stream.WriteTimeout = $TimeoutMs
        # TPKT (03 00 00 13) + X.224 CR (LI 0E, E0, refs 0, class 0) + RDP_NEG_REQ (01 00 08 00 + protocols LE).
        $request = [byte[]](@(0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00) + [BitConverter]::GetBytes([uint32]$RequestedProtocols))
        $negotiation = [ordered]@{
            requestedProtocols = $RequestedProtocols; requested = Get-ProtocolText $RequestedProtocols
            confirmed = $false; type = $null; flags = $null
            selectedProtocol = $null; selected = $null; failureCode = $null; failure = $null; error = $null
        }
        try {
            $stream.Write($request, 0, $request.Length)
            $header = Read-Exactly $stream 4
            if ($header[0] -ne 3) { throw ('not a TPKT header: first byte 0x{0:X2}' -f $header[0]) }
            $length = [int]$header[2] * 256 + [int]$header[3]
            if ($length -lt 11 -or $length -gt 512) { throw "implausible TPKT length $length" }
            $body = Read-Exactly $stream ($length - 4)
            if (($body[1] -band 0xF0) -ne 0xD0) { throw ('not an X.224 Connection Confirm: TPDU code 0x{0:X2}' -f $body[1]) }
            $negotiation.confirmed = $true
            if ($body.Length -ge 15) {
                $negotiation.type = [int]$body[7]
                $negotiation.flags = [int]$body[8]
                $value = [BitConverter]::ToUInt32($body, 11)
                if ($negotiation.type -eq 2) {
                    $negotiation.selectedProtocol = [int]$value
                    $negotiation.selected = Get-ProtocolText ([int]$value)
                } elseif ($negotiation.type -eq 3) {
                    $negotiation.failureCode = [int]$value
                    $negotiation.failure = $failureNames[[int]$value]
                    if (-not $negotiation.failure) { $negotiation.failure = 'UNKNOWN' }
                }
            } else {
                # A Connection Confirm without negotiation data: a legacy server speaking Standard RDP Security.
                $negotiation.selectedProtocol = 0
                $negotiation.selected = 'RDP'
            }
        } catch {
            $negotiation.error = Get-InnermostMessage $_.Exception
            if (Test-IsTimeout $_.Exception) { $negotiation.error = "no X.224 answer within $TimeoutMs ms" }
        }

        $tlsSelected = $negotiation.confirmed -and $null -ne $negotiation.selectedProtocol -and (@(1, 2, 8) -contains $negotiation.selectedProtocol)
        if ($tlsSelected) {
            $stage = 'tls'
            $seen = @{ errors = $null; chain = @() }
            $callback = {
                param($sender, $certificate, $chain, $policyErrors)
                $seen.errors = [string]$policyErrors
                if ($null -ne $chain) { $seen.chain = @($chain.ChainStatus | ForEach-Object { [string]$_.Status }) }
                return $true
            }.GetNewClosure()
            $tls = [ordered]@{ completed = $false; protocol = $null; cipher = $null; policyErrors = $null; chainStatus = @(); certificate = $null; error = $null }
            try {
                $ssl = New-Object System.Net.Security.SslStream($stream, $false, ([System.Net.Security.RemoteCertificateValidationCallback]$callback))
                $ssl.ReadTimeout = $TimeoutMs
                $protocols = [System.Security.Authentication.SslProtocols]::None
                if ($PSVersionTable.PSEdition -ne 'Core') {
                    # .NET Framework before 4.7 does not read None as "system default".
                    $protocols = [System.Security.Authentication.SslProtocols]'Tls, Tls11, Tls12'
                }
                $ssl.AuthenticateAsClient($ComputerName, $null, $protocols, $false)
                $tls.completed = $true
                $tls.protocol = [string]$ssl.SslProtocol
                $tls.cipher = [string]$ssl.CipherAlgorithm
            } catch {
                $tls.error = Get-InnermostMessage $_.Exception
            }
            $tls.policyErrors = $seen.errors
            $tls.chainStatus = @($seen.chain)
            if ($null -ne $ssl -and $null -ne $ssl.RemoteCertificate) {
                $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($ssl.RemoteCertificate)
                $dnsNames = Get-CertificateDnsName $cert
                $notAfter = $cert.NotAfter.ToUniversalTime()
                $tls.certificate = [ordered]@{
                    subject = $cert.Subject; issuer = $cert.Issuer; thumbprint = $cert.Thumbprint
                    notBefore = $cert.NotBefore.ToUniversalTime().ToString('o'); notAfter = $notAfter.ToString('o')
                    expired = ($notAfter -lt $now.ToUniversalTime()); daysLeft = [int][math]::Floor(($notAfter - $now.ToUniversalTime()).TotalDays)
                    selfSigned = ($cert.Subject -eq $cert.Issuer); dnsNames = $dnsNames
                    nameMatch = (Test-NameMatch $ComputerName $dnsNames)
                }
            }
        } elseif ($negotiation.confirmed -and $negotiation.selectedProtocol -eq 0 -and $RequestedProtocols -eq 0) {
            $stage = 'done'
            $succeeded = $true
        }
        if ($tlsSelected -and $tls.completed) {
            $stage = 'done'
            $succeeded = -not $tls.certificate.expired
        }
    }
} catch {
    $errorText = Get-InnermostMessage $_.Exception
} finally {
    if ($null -ne $ssl) { $ssl.Dispose() }
    $client.Close()
}

# Findings: what each outcome says about the causes of 0x904 / 0x7 (rdp-knowledge.md 3.4, 3.5).
$pathCauses = 'port-unreachable', 'firewall-closed', 'adapter-down'
$listenerCauses = 'termservice-stopped', 'rdp-disabled', 'wrong-port'
if (-not $tcp.connected) {
    if ($tcp.refused) {
        $findings.Add((New-Finding 'termservice-stopped' 0.25 "TCP connection to $target was refused: nothing listens on port $Port (Remote Desktop Services stopped, RDP disabled, or the server listens on another port)."))
        $findings.Add((New-Finding 'rdp-disabled' 0.25 "TCP connection to $target was refused: the server answered but no RDP listener accepts on port $Port."))
        $findings.Add((New-Finding 'wrong-port' 0.2 "TCP connection to $target was refused: the RDP listener may use a port other than $Port."))
        foreach ($c in $pathCauses) { $findings.Add((New-Finding $c 0 "The server host answered on ${target} (connection refused), so the network path to it works.")) }
    } elseif ($tcp.timedOut) {
        $findings.Add((New-Finding 'firewall-closed' 0.25 "TCP connection to $target timed out after $TimeoutMs ms: packets are silently dropped, as a closed firewall does."))
        $findings.Add((New-Finding 'adapter-down' 0.2 "TCP connection to $target timed out after $TimeoutMs ms: the server's network adapter may be down."))
        $findings.Add((New-Finding 'port-unreachable' 0.25 "TCP connection to $target timed out after $TimeoutMs ms."))
    } else {
        $findings.Add((New-Finding 'port-unreachable' 0.3 "TCP connection to $target failed: $($tcp.error)."))
    }
} else {
    foreach ($c in $pathCauses + $listenerCauses) { $findings.Add((New-Finding $c 0 "TCP connection to $target succeeded.")) }
    if (-not $negotiation.confirmed) {
        if ($negotiation.error -like 'no X.224 answer*') {
            $findings.Add((New-Finding 'termservice-stopped' 0.3 "$target accepted TCP but sent no X.224 Connection Confirm within $TimeoutMs ms: the RDP listener is hung or something else holds the port."))
        } else {
            $findings.Add((New-Finding 'termservice-stopped' 0.3 "$target accepted TCP but did not answer the X.224 Connection Request as an RDP server ($($negotiation.error))."))
        }
    } elseif ($null -ne $negotiation.failureCode) {
        $code = '0x{0:X}' -f $negotiation.failureCode
        switch ($negotiation.failureCode) {
            1 { $findings.Add((New-Finding 'nla-mismatch' 0.4 "The server refused the requested protocols ($($negotiation.requested)) with RDP_NEG_FAILURE $code SSL_REQUIRED_BY_SERVER: it wants TLS without CredSSP (NLA off).")) }
            2 { $findings.Add((New-Finding 'security-layer-mismatch' 0.9 "The server refused TLS with RDP_NEG_FAILURE $code SSL_NOT_ALLOWED_BY_SERVER: it is set to the legacy RDP Security Layer (SecurityLayer 0).")) }
            3 {
                $findings.Add((New-Finding 'cert-expired' 0.4 "The server answered RDP_NEG_FAILURE $code SSL_CERT_NOT_ON_SERVER: it has no usable TLS certificate."))
                $findings.Add((New-Finding 'cert-key-unreadable' 0.4 "The server answered RDP_NEG_FAILURE $code SSL_CERT_NOT_ON_SERVER: it cannot use its certificate's private key."))
            }
            5 { $findings.Add((New-Finding 'nla-mismatch' 0.8 "The server requires Network Level Authentication (RDP_NEG_FAILURE $code HYBRID_REQUIRED_BY_SERVER) but the client offered only $($negotiation.requested).")) }
            6 { $findings.Add((New-Finding 'security-layer-mismatch' 0.4 "The server requires TLS with client certificates (RDP_NEG_FAILURE $code SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER).")) }
            default { $findings.Add((New-Finding 'security-layer-mismatch' 0.3 "The server answered RDP_NEG_FAILURE $code $($negotiation.failure) to $($negotiation.requested).")) }
        }
    } elseif ($negotiation.selectedProtocol -eq 0 -and $RequestedProtocols -ne 0) {
        $findings.Add((New-Finding 'security-layer-mismatch' 0.85 "The client offered $($negotiation.requested) but the server selected Standard RDP Security: it is set to the RDP Security Layer (SecurityLayer 0), without TLS."))
    } elseif ($null -ne $tls) {
        $findings.Add((New-Finding 'security-layer-mismatch' 0 "The server selected $($negotiation.selected) for $($negotiation.requested)."))
        if (-not $tls.completed) {
            $why = $tls.error
            $findings.Add((New-Finding 'cert-key-unreadable' 0.4 "The server selected $($negotiation.selected), then the TLS handshake failed ($why): the server may be unable to use its certificate's private key."))
            $findings.Add((New-Finding 'tls-disabled' 0.4 "The server selected $($negotiation.selected), then the TLS handshake failed ($why): the server may have TLS 1.2 disabled in SCHANNEL."))
            $findings.Add((New-Finding 'cert-expired' 0.2 "The TLS handshake with $target failed before a certificate could be checked."))
        } else {
            $c = $tls.certificate
            $findings.Add((New-Finding 'tls-disabled' 0 "TLS handshake with $target completed ($($tls.protocol))."))
            $findings.Add((New-Finding 'cert-key-unreadable' 0 "The server signed the TLS handshake with its certificate's private key."))
            $name = $c.subject
            if ($c.expired) {
                $ago = [int][math]::Floor(($now.ToUniversalTime() - [datetime]::Parse($c.notAfter, [cultureinfo]::InvariantCulture).ToUniversalTime()).TotalDays)
                $findings.Add((New-Finding 'cert-expired' 0.9 ("The server's certificate {0} (thumbprint {1}) expired {2}, {3} days ago." -f $name, $c.thumbprint, ([datetime]::Parse($c.notAfter, [cultureinfo]::InvariantCulture).ToUniversalTime().ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)), $ago)))
            } else {
                $findings.Add((New-Finding 'cert-expired' 0 ("The server's certificate {0} is valid until {1} ({2} days left)." -f $name, ([datetime]::Parse($c.notAfter, [cultureinfo]::InvariantCulture).ToUniversalTime().ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)), $c.daysLeft)))
            }
        }
    }
}

[pscustomobject]@{
    computerName = $ComputerName
    address      = $connectTo
    port         = $Port
    stage        = $stage
    succeeded    = $succeeded
    tcp          = [pscustomobject]$tcp
    negotiation  = $(if ($null -ne $negotiation) { [pscustomobject]$negotiation } else { $null })
    tls          = $(if ($null -ne $tls) { [pscustomobject]@{ completed = $tls.completed; protocol = $tls.protocol; cipher = $tls.cipher; policyErrors = $tls.policyErrors; chainStatus = $tls.chainStatus; error = $tls.error; certificate = $(if ($null -ne $tls.certificate) { [pscustomobject]$tls.certificate } else { $null }) } } else { $null })
    error        = $errorText
    findings     = $findings.ToArray()
}
