#Requires -Version 5.1
<#
.SYNOPSIS
    Builds the findings diagnose scripts return ({ cause, confidence, evidence }).

.DESCRIPTION
    A script declares it with a guarded Import-Module of lib/PsRemedyFinding.psm1; see lib/README.md.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# One finding: a cause id of the playbook, a confidence from 0 to 1, and the evidence in words.
function New-Finding([string] $Cause, [double] $Confidence, [string] $Evidence) {
    [pscustomobject]@{ cause = $Cause; confidence = $Confidence; evidence = $Evidence }
}
