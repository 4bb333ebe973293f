#Requires -Version 5.1
<#
.SYNOPSIS
    Fix test: does the RDP listener have a usable certificate (found, not expired, private key
    present and readable by NETWORK SERVICE)?

.OUTPUTS
    { compliant, reason, state { bindingThumbprint, listener { store, subject, thumbprint, notAfter,
    expired, hasPrivateKey, keyReadable }, remoteDesktop, backupStore, backupStoreExists, backup, termServiceStatus } }.
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

if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }

$state = Get-RdpCertificateState $BackupStore
$compliant = Test-CertificateUsable $state $SuspectThumbprint
$c = $state.listener
if ($null -eq $c) {
    $reason = 'The RDP listener has no certificate it can find.'
    if ($state.bindingThumbprint) { $reason = "The RDP listener is bound to $($state.bindingThumbprint), which is in no LocalMachine store." }
} elseif ($c.notYetValid) {
    $reason = "The listener certificate $($c.subject) ($($c.thumbprint)) is not valid before $($c.notBefore)."
} elseif ($c.expired) {
    $reason = "The listener certificate $($c.subject) ($($c.thumbprint)) expired $($c.notAfter)."
} elseif (-not $c.hasPrivateKey) {
    $reason = "The listener certificate $($c.subject) ($($c.thumbprint)) has no private key."
} elseif ($c.keyReadable -eq $false) {
    $reason = "NETWORK SERVICE cannot read the private key of $($c.subject) ($($c.thumbprint))."
} else {
    $reason = "The listener certificate $($c.subject) is valid until $($c.notAfter)."
}

[pscustomobject]@{ compliant = $compliant; cannotFix = (Get-CertificatePolicyBlock $state $compliant); reason = $reason; state = $state }
