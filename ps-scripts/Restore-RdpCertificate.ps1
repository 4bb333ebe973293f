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

if (-not (Get-Module -Name RdpBeforeState)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpBeforeState.psm1') }
if (-not (Get-Module -Name RdpCertificate)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpCertificate.psm1') }

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
        $what = "delete self-signed certificate $thumb that Windows issued after the change (its key stays)"
        Remove-IssuedRdpCertificate $thumb $what $PSCmdlet
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
