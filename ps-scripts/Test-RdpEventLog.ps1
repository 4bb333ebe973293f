#Requires -Version 5.1
<#
.SYNOPSIS
    Reads the server's event logs for the events that explain an RDP connection dying early:
    Schannel 36870/36871/36874/36888, RemoteConnectionManager 1057/1058 and listener 259,
    Service Control Manager errors about TermService, RdpCoreTS 131.

.DESCRIPTION
    Keys on event IDs and providers, never on message text (messages are localized), except to
    tell which service a Service Control Manager event is about. An event's absence proves
    nothing, so this step only adds findings for events it saw.

.PARAMETER Days
    How far back to look.

.OUTPUTS
    One object: since, events (log, provider, id, time, message), counts by id, findings.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(1, 365)]
    [int] $Days = 7
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name PsRemedyFinding)) { Import-Module -Name (Join-Path $PSScriptRoot 'lib/PsRemedyFinding.psm1') }

$since = (Get-Date).AddDays(-$Days)
$queries = @(
    @{ LogName = 'System'; ProviderName = 'Schannel'; Id = 36870, 36871, 36874, 36888 },
    @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager'; Id = 1057, 1058 },
    @{ LogName = 'System'; ProviderName = 'Service Control Manager'; Id = 7000, 7001, 7022, 7023, 7024, 7031, 7034 },
    # 1057/1058 are listed in the Operational channel on current Windows too (detection-wiki manifest listing).
    @{ LogName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'; Id = 258, 259, 261, 1057, 1058 },
    @{ LogName = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational'; Id = 131 }
)

# SCM messages name the service by its localized display name (de: Remotedesktopdienste), and a
# message can be $null when Windows cannot format it: match the event data against the names
# Get-Service reports on this server, never English text, and leave UmRdpService's events out.
$termNames = @('TermService')
$termService = Get-Service -Name TermService -ErrorAction SilentlyContinue
if ($null -ne $termService) { $termNames += [string]$termService.DisplayName }
$otherName = [string](Get-Service -Name UmRdpService -ErrorAction SilentlyContinue | ForEach-Object { $_.DisplayName })
function Test-AboutTermService($Record) {
    $data = @()
    if ($Record.PSObject.Properties['Properties'] -and $null -ne $Record.Properties) { $data = @($Record.Properties | ForEach-Object { [string]$_.Value }) }
    if (@($data | Where-Object { $termNames -contains $_ }).Count -gt 0) { return $true }
    $text = [string]$Record.Message
    if ($otherName -and $text.Contains($otherName)) { return $false }
    return @($termNames | Where-Object { $_ -and $text.Contains($_) }).Count -gt 0
}

$events = New-Object System.Collections.Generic.List[object]
foreach ($query in $queries) {
    $filter = @{ StartTime = $since }
    foreach ($key in $query.Keys) { $filter[$key] = $query[$key] }
    foreach ($record in @(Get-WinEvent -FilterHashtable $filter -ErrorAction SilentlyContinue)) {
        if ($null -eq $record) { continue }
        $message = [string]$record.Message
        if ($query.Contains('ProviderName') -and $query['ProviderName'] -eq 'Service Control Manager' -and -not (Test-AboutTermService $record)) { continue }
        $events.Add([pscustomobject]@{
                logName  = [string]$record.LogName
                provider = [string]$record.ProviderName
                id       = [int]$record.Id
                time     = ([datetime]$record.TimeCreated).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
                message  = $message
            })
    }
}

function Get-Newest([int[]] $Ids) {
    return @($events | Where-Object { $Ids -contains $_.id } | Sort-Object -Property time -Descending)
}

function Get-Summary([object[]] $Found) {
    $newest = $Found[0]
    $text = $newest.message -split "`r?`n" | Select-Object -First 1
    if ($text.Length -gt 160) { $text = $text.Substring(0, 157) + '...' }
    $times = 'once'
    if ($Found.Count -gt 1) { $times = "$($Found.Count) times" }
    return "$($newest.provider) event $($newest.id) ($times in $Days days, last $($newest.time.Replace('T', ' ').TrimEnd('Z')) UTC): $text"
}

$findings = New-Object System.Collections.Generic.List[object]
# Events are history: they stay after a fix, so alone they never reach the 0.5 that makes a cause
# detected; they raise a cause that a live check also reports.
$rules = @(
    @{ ids = @(36870); cause = 'cert-key-unreadable'; confidence = 0.45 },
    @{ ids = @(36871); cause = 'tls-disabled'; confidence = 0.4 },
    @{ ids = @(36874); cause = 'tls-disabled'; confidence = 0.4 },
    @{ ids = @(36888); cause = 'tls-disabled'; confidence = 0.2 },
    @{ ids = @(1057, 1058); cause = 'cert-expired'; confidence = 0.4 },
    @{ ids = @(7000, 7001, 7022, 7023, 7024, 7031, 7034); cause = 'termservice-stopped'; confidence = 0.4 },
    @{ ids = @(259); cause = 'termservice-stopped'; confidence = 0.3 }
)
foreach ($rule in $rules) {
    $found = @(Get-Newest $rule.ids)
    if ($found.Count -eq 0) { continue }
    # A stopped listener only counts when it was not started again since (258 newer than 259).
    if ($rule.ids -contains 259 -and @(Get-Newest 258, 259)[0].id -ne 259) { continue }
    $findings.Add((New-Finding $rule.cause $rule.confidence (Get-Summary $found)))
}

$counts = [ordered]@{}
foreach ($group in ($events | Group-Object -Property id | Sort-Object -Property Name)) { $counts[[string]$group.Name] = $group.Count }

[pscustomobject]@{
    since    = $since.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture)
    events   = $events.ToArray()
    counts   = [pscustomobject]$counts
    findings = $findings.ToArray()
}
