#Requires -Version 5.1
<#
.SYNOPSIS
    Fix apply: makes Windows Firewall admit RDP on the port clients use, step by step until the
    verdict of the firewall diagnosis (Get-RdpFirewallVerdict) says open.

.DESCRIPTION
    1. Disables the enabled local Block rules that block the port (Block wins over Allow; a Block
       rule is usually deliberate: the playbook's confirm text warns).
    2. Enables the built-in rule (by Name) when it exists, is disabled and covers the port.
    3. Enables, or creates, psremedy's own inbound TCP Allow rule for the port on every profile,
       open to RemoteAddress, when the built-in rule does not apply (missing, another profile,
       scoped to other addresses or interfaces, or authenticated connections only).
    Never touches Group Policy: with a GPO Block rule, or local rules ignored by GPO, it stops with
    the reason (the test reports it as cannotFix first). Supports -WhatIf.

.PARAMETER RemoteAddress
    Who may connect through a created rule: Any, LocalSubnet, or addresses/ranges.

.OUTPUTS
    { changed, before, after, changes } (before/after: the state of Test-RdpFirewallState.ps1).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(0, 65535)]
    [int] $Port = 0,

    [ValidateNotNullOrEmpty()]
    [string] $RuleName = 'RemoteDesktop-UserMode-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string] $CustomRuleName = 'PSRemedy-RemoteDesktop-In-TCP',

    [ValidateNotNullOrEmpty()]
    [string[]] $RemoteAddress = @('Any'),

    [AllowEmptyString()]
    [string] $ClientAddress = '',

    [AllowEmptyString()]
    [string] $ServerAddress = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name RdpFirewallPolicy)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/RdpFirewallPolicy.psm1') }

$fields = 'portNumber', 'builtIn', 'custom', 'blockRules', 'open', 'decidedBy', 'profile'
$current = Get-RdpFirewallFixState $Port $RuleName $CustomRuleName $ClientAddress $ServerAddress
$before = $current | Select-Object -Property $fields
$port = $current.portNumber
$changes = New-Object System.Collections.Generic.List[string]
$policy = Get-RdpFirewallPolicyBlock $current.verdict
if ($policy) { throw $policy }
$judge = { Get-RdpFirewallFixState $port $RuleName $CustomRuleName $ClientAddress $ServerAddress }
# Under -WhatIf nothing changes, so the verdict cannot move on: preview the first step only.
$previewed = { $WhatIfPreference -and $changes.Count -gt 0 }

if (-not $current.open) {
    foreach ($rule in @($current.verdict.verdict.blockRules | Where-Object { -not $_.fromPolicy })) {
        $what = "disable Block rule $($rule.name) ($($rule.displayName)), which blocks inbound TCP $port"
        if ($PSCmdlet.ShouldProcess($rule.name, $what)) { Disable-NetFirewallRule -Name $rule.name }
        $changes.Add($what)
    }
    if ($changes.Count -gt 0 -and -not $WhatIfPreference) { $current = & $judge }
}
if (-not $current.open -and -not (& $previewed) -and $current.builtIn.exists -and -not $current.builtIn.enabled -and $current.builtIn.action -eq 'Allow' -and (Test-PortCovered @($current.builtIn.localPort) $port)) {
    $what = "enable firewall rule $RuleName (inbound TCP $($current.builtIn.localPort))"
    if ($PSCmdlet.ShouldProcess($RuleName, $what)) { Enable-NetFirewallRule -Name $RuleName }
    $changes.Add($what)
    if (-not $WhatIfPreference) { $current = & $judge }
}
if (-not $current.open -and -not (& $previewed)) {
    if ($current.custom.exists -and -not $current.custom.enabled) {
        $what = "enable firewall rule $CustomRuleName"
        if ($PSCmdlet.ShouldProcess($CustomRuleName, $what)) { Enable-NetFirewallRule -Name $CustomRuleName }
        $changes.Add($what)
    } elseif (-not $current.custom.exists) {
        $scope = $RemoteAddress -join ','
        $what = "create firewall rule ${CustomRuleName}: allow inbound TCP $port from $scope on every profile"
        if ($PSCmdlet.ShouldProcess($CustomRuleName, $what)) {
            New-NetFirewallRule -Name $CustomRuleName -DisplayName "Remote Desktop (TCP-In, port $port, added by psremedy)" `
                -Description 'Created by psremedy because no Remote Desktop rule in force admitted the client.' `
                -Direction Inbound -Protocol TCP -LocalPort ([string]$port) -RemoteAddress $RemoteAddress -Action Allow -Profile Any -Enabled True | Out-Null
        }
        $changes.Add($what)
    }
}

$after = Get-RdpFirewallFixState $port $RuleName $CustomRuleName $ClientAddress $ServerAddress
[pscustomobject]@{
    changed = ($changes.Count -gt 0 -and -not $WhatIfPreference)
    before  = $before
    after   = $after | Select-Object -Property $fields
    changes = $changes.ToArray()
}
