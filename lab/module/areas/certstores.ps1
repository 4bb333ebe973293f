# The Certificate provider's store operations: Move-Item of a certificate to another store of the
# same location, New-Item and Remove-Item of a LocalMachine store. Checks, messages and error ids
# follow the provider (PowerShell's CertificateProvider.cs and CertificateProviderStrings.resx).
# As in that provider, only certificates are guarded by ShouldProcess: New-Item and Remove-Item of a
# store act even under -WhatIf, so scripts guard them with their own ShouldProcess.

# 'Container' (root, location or store), 'Leaf' (certificate), or $null when the path names nothing.
function Get-LabCertPathKind {
    param([System.Collections.IDictionary]$State, [hashtable]$Target)
    if (-not $Target.Location) { return 'Container' }
    if ($Target.Location -notin 'LocalMachine', 'CurrentUser') { return $null }
    if (-not $Target.Store) { return 'Container' }
    if (-not (Test-LabStore $State $Target.Store)) { return $null }
    if (-not $Target.Thumbprint) { return 'Container' }
    if (@(Get-LabStoreCertItems $State $Target.Store | Where-Object { $_.thumbprint -eq $Target.Thumbprint }).Count -gt 0) { return 'Leaf' }
    return $null
}

# The provider's own form of a path: LocalMachine\My\<thumbprint>.
function Get-LabCertProviderPath {
    param([hashtable]$Target)
    return (@($Target['Location'], $Target['Store'], $Target['Thumbprint']) | Where-Object { $_ }) -join '\'
}

function New-LabCertProviderError {
    param([string]$Message, [string]$ErrorId, [string]$Command,
        [System.Management.Automation.ErrorCategory]$Category = 'InvalidOperation', [string]$ExceptionType = 'System.InvalidOperationException', $TargetObject)
    return New-LabErrorRecord -Message $Message -ErrorId $ErrorId -Category $Category -TargetObject $TargetObject -ExceptionType $ExceptionType `
        -OriginatorType "Microsoft.PowerShell.Commands.$Command"
}

# Why Move-Item cannot move the certificate at $Source to $Destination (an error record), or $null.
function Get-LabCertMoveProblem {
    param([System.Collections.IDictionary]$State, [hashtable]$Source, [hashtable]$Destination, [string]$DestinationText)
    $command = 'MoveItemCommand'
    if ((Get-LabCertPathKind $State $Source) -eq 'Container') { return New-LabCertProviderError 'You cannot move a certificate container. ' 'CannotMoveContainer' $command }
    if ($null -eq $Destination -or $Destination.Provider -ne 'Certificate') {
        return New-LabCertProviderError 'Source and destination path did not resolve to the same provider.' 'MoveItemSourceAndDestinationNotSameProvider' $command `
            -Category InvalidArgument -ExceptionType 'System.Management.Automation.PSArgumentException' -TargetObject $DestinationText
    }
    $sameThumbprint = $Destination.Thumbprint -and [string]::Equals($Destination.Thumbprint, $Source.Thumbprint, [StringComparison]::OrdinalIgnoreCase)
    if (-not $Destination.Store -or ($Destination.Thumbprint -and -not $sameThumbprint)) { return New-LabCertProviderError 'The destination is not a valid store. ' 'InvalidDestStore' $command }
    if ($Destination.Location -ne $Source.Location) { return New-LabCertProviderError 'You cannot move a certificate from user store to or from machine. ' 'CannotMoveCrossContext' $command }
    if ($Destination.Store -eq $Source.Store) { return New-LabCertProviderError 'You cannot move a certificate to the same store. ' 'CannotMoveToSameStore' $command }
    if (-not (Test-LabStore $State $Destination.Store)) {
        $storePath = Get-LabCertProviderPath @{ Location = $Destination.Location; Store = $Destination.Store }
        return New-LabCertProviderError "Cannot find the X509 certificate store at path $storePath." 'CertProviderItemNotFound' $command `
            -Category ObjectNotFound -ExceptionType 'Microsoft.PowerShell.Commands.CertificateStoreNotFoundException'
    }
    return $null
}

function Move-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName)][string]$Destination = '.',
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$PassThru,
        [pscredential]$Credential
    )
    process {
        $args0 = Get-LabPathArguments $PSBoundParameters
        foreach ($p in $args0.Paths) {
            $source = Resolve-LabProviderPath $p
            if ($null -eq $source -or $source.Provider -ne 'Certificate') { Invoke-LabHostCommand 'Microsoft.PowerShell.Management\Move-Item' $PSBoundParameters $args0.Parameter $p; continue }
            $state = Read-LabState
            if ($null -eq (Get-LabCertPathKind $state $source)) {
                $PSCmdlet.WriteError((New-LabCertProviderError "Cannot move item because the item at '$p' does not exist." 'InvalidOperation' 'MoveItemCommand' `
                            -ExceptionType 'System.Management.Automation.PSInvalidOperationException'))
                continue
            }
            $target = Resolve-LabProviderPath $Destination
            $problem = Get-LabCertMoveProblem $state $source $target $Destination
            if ($problem) { $PSCmdlet.ThrowTerminatingError($problem) }
            $fromStore = Get-LabStoreName $state $source.Store
            $toStore = Get-LabStoreName $state $target.Store
            $from = Get-LabCertProviderPath $source
            $to = Get-LabCertProviderPath @{ Location = $target.Location; Store = $toStore }
            if (-not $PSCmdlet.ShouldProcess("Item: $from Destination: $to ", 'Move certificate')) { continue }
            $list = Get-LabStoreCerts $state $fromStore
            $entry = @($list | Where-Object { $_.thumbprint -eq $source.Thumbprint })[0]
            [void]$list.Remove($entry)
            $toList = Get-LabStoreCerts $state $toStore -Create
            foreach ($twin in @($toList | Where-Object { $_.thumbprint -eq $entry.thumbprint })) { [void]$toList.Remove($twin) }
            $toList.Add($entry)
            Save-LabState $state
            if ($PassThru) { ConvertTo-LabCertificateObject $entry $toStore }
        }
    }
}

# New-Item Cert:\LocalMachine\<store>: creates an empty store and returns it.
function New-LabCertStore {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Path, [hashtable]$Target)
    $command = 'NewItemCommand'
    if (-not $Target.Store -or $Target.Thumbprint) { $Cmdlet.ThrowTerminatingError((New-LabCertProviderError 'You cannot create an item other than certificate store. ' 'CannotCreateItem' $command)) }
    if ($Target.Location -eq 'CurrentUser') { $Cmdlet.ThrowTerminatingError((New-LabCertProviderError 'Creating certificate stores under CurrentUser is not supported. ' 'CannotCreateUserStore' $command)) }
    if ($Target.Location -ne 'LocalMachine') {
        $Cmdlet.ThrowTerminatingError((New-LabCertProviderError "Cannot find the certificate store because the specified X509 store location $($Target.Location) is not valid." `
                    'CertProviderItemNotFound' $command -Category ObjectNotFound -ExceptionType 'Microsoft.PowerShell.Commands.CertificateStoreLocationNotFoundException'))
    }
    $state = Read-LabState
    if (Test-LabStore $state $Target.Store) {
        # CertOpenStore(CERT_STORE_CREATE_NEW_FLAG) fails with ERROR_FILE_EXISTS; the engine wraps the Win32Exception.
        $Cmdlet.ThrowTerminatingError((New-LabCertProviderError 'The file exists.' 'NewItemProviderException' $command `
                    -Category NotSpecified -ExceptionType 'System.Management.Automation.ProviderInvocationException' -TargetObject $Path))
    }
    [void](Get-LabStoreCerts $state $Target.Store -Create)
    Save-LabState $state
    New-LabCertStoreObject $Target.Store
}

# Remove-Item of a Cert:\ container: only a LocalMachine store that is not a system store, with its
# certificates (asking first, as for any container, when -Recurse is absent).
function Remove-LabCertContainer {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$State, [string]$Path, [hashtable]$Target, [bool]$Recurse, [bool]$DeleteKey)
    $command = 'RemoveItemCommand'
    $certs = @()
    if ($Target.Store) { $certs = @(Get-LabStoreCertItems $State $Target.Store) }
    $hasChildren = (-not $Target.Store) -or $certs.Count -gt 0
    if ($hasChildren -and -not $Recurse) {
        $prompt = "The item at $Path has children and the Recurse parameter was not specified. If you continue, all children will be removed with the item. Are you sure you want to continue?"
        $confirmed = $false
        try { $confirmed = $Cmdlet.ShouldContinue($prompt, $null) }
        catch {
            $inner = $_.Exception
            if ($inner.InnerException) { $inner = $inner.InnerException }
            $Cmdlet.ThrowTerminatingError((New-LabCertProviderError $inner.Message 'InvalidOperation' $command -ExceptionType 'System.Management.Automation.PSInvalidOperationException'))
        }
        if (-not $confirmed) { return }
    }
    if (-not $Target.Store) { $Cmdlet.ThrowTerminatingError((New-LabCertProviderError 'You cannot remove a certificate container. ' 'CannotRemoveContainer' $command)) }
    if ($Target.Location -eq 'CurrentUser') { $Cmdlet.ThrowTerminatingError((New-LabCertProviderError 'Deleting certificate stores under CurrentUser is not supported. ' 'CannotDeleteUserStore' $command)) }
    $name = Get-LabStoreName $State $Target.Store
    if ($script:KnownStores -contains $name) {
        $Cmdlet.ThrowTerminatingError((New-LabCertProviderError "The store $name is a built-in system store and cannot be deleted." 'CannotRemoveSystemStore' $command))
    }
    $action = if ($DeleteKey) { 'Remove certificate and its private key.' } else { 'Remove certificate' }
    $storePath = Get-LabCertProviderPath @{ Location = $Target.Location; Store = $name }
    $list = Get-LabStoreCerts $State $name
    foreach ($c in $certs) {
        if ($Cmdlet.ShouldProcess("Item: $storePath\$($c.thumbprint) ", $action)) { [void]$list.Remove($c) }
    }
    # The provider then deletes the store (CERT_STORE_DELETE_FLAG) with no ShouldProcess of its own.
    [void]$State.certificates.Remove($name)
    Save-LabState $State
}
