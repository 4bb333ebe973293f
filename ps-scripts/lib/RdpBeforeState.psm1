#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the before-state a Restore script receives, which arrives as a hashtable or an object.

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/RdpBeforeState.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# A field of the recorded state, or $null when it is missing.
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

# Whether the recorded object has the field at all (a before-state from an older psremedy may not).
function Test-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $false }
    if ($Object -is [System.Collections.IDictionary]) { return $Object.Contains($Name) }
    return $null -ne $Object.PSObject.Properties[$Name]
}
