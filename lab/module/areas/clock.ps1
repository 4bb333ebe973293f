# The host's clock: Get-Date without -Date answers the state's `clock`, so expiry checks and
# "events since yesterday" see the simulated time.

function Get-Date {
    [CmdletBinding(DefaultParameterSetName = 'DateAndFormat')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('LastWriteTime')][datetime]$Date,
        [int]$Year, [int]$Month, [int]$Day, [int]$Hour, [int]$Minute, [int]$Second, [int]$Millisecond,
        [ValidateSet('Date', 'Time', 'DateTime')][string]$DisplayHint,
        [Parameter(ParameterSetName = 'DateAndFormat')][string]$Format,
        [Parameter(ParameterSetName = 'DateAndUFormat', Mandatory)][string]$UFormat,
        [switch]$AsUTC,
        [Alias('UnixTime')][long]$UnixTimeSeconds
    )
    process {
        $bound = @{}
        foreach ($k in $PSBoundParameters.Keys) { $bound[$k] = $PSBoundParameters[$k] }
        if (-not $bound.ContainsKey('Date') -and -not $bound.ContainsKey('UnixTimeSeconds')) { $bound.Date = Get-LabNow }
        if (Get-Command -Name 'Microsoft.PowerShell.Utility\Get-Date' -CommandType Cmdlet -ErrorAction Ignore) {
            Microsoft.PowerShell.Utility\Get-Date @bound
            return
        }
        $value = $bound.Date
        foreach ($part in 'Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'Millisecond') {
            if ($bound.ContainsKey($part)) { $value = $value.AddTicks(0); $value = Set-LabDatePart $value $part $bound[$part] }
        }
        if ($AsUTC) { $value = $value.ToUniversalTime() }
        if ($Format) { return $value.ToString($Format) }
        $value
    }
}

function Set-LabDatePart {
    param([datetime]$Value, [string]$Part, [int]$Number)
    switch ($Part) {
        'Year' { return $Value.AddYears($Number - $Value.Year) }
        'Month' { return $Value.AddMonths($Number - $Value.Month) }
        'Day' { return $Value.AddDays($Number - $Value.Day) }
        'Hour' { return $Value.AddHours($Number - $Value.Hour) }
        'Minute' { return $Value.AddMinutes($Number - $Value.Minute) }
        'Second' { return $Value.AddSeconds($Number - $Value.Second) }
        default { return $Value.AddMilliseconds($Number - $Value.Millisecond) }
    }
}
