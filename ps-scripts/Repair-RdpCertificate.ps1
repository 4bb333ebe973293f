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

.PARAMETER IssueWaitSeconds
    How long to wait after the TermService restart for Windows to issue the new self-signed
    certificate (it may come a little later than the service start).

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

    [string] $SuspectThumbprint = '',

    [ValidateRange(0, 300)]
    [int] $IssueWaitSeconds = 30
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }

$before = Get-RdpCertificateState $BackupStore
$policy = Get-CertificatePolicyBlock $before (Test-CertificateUsable $before $SuspectThumbprint)
if ($policy) { throw $policy }
$changes = New-Object System.Collections.Generic.List[string]
$now = Get-Date
$rdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$action = 'none'

if ($Mode -ne 'Auto' -or -not (Test-CertificateUsable $before $SuspectThumbprint)) {
    $names = @(Get-ServerName $HostName -Verbose:($VerbosePreference -eq 'Continue'))
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
        $unusable = @(Get-StoreCertificate 'Remote Desktop' | ForEach-Object { Get-CertificateView $_ 'Remote Desktop' $now } | Where-Object { $_.expired -or $_.notYetValid -or -not $_.hasPrivateKey -or $_.keyReadable -eq $false -or ($SuspectThumbprint -and $_.thumbprint -eq $SuspectThumbprint.ToUpperInvariant() -and $_.keyReadable -ne $true) })
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
            # Windows may issue the new self-signed certificate a little after the service starts: wait, bounded.
            $deadline = [DateTime]::UtcNow.AddSeconds($IssueWaitSeconds)
            while (-not (Test-CertificateUsable (Get-RdpCertificateState $BackupStore) $SuspectThumbprint) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
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
