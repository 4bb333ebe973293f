# The one layer that reads and writes the host state file (lab/STATE.md). Every cmdlet reads the
# file afresh, so changes made by the lab runtime are seen by the next cmdlet.

function Get-LabStatePath {
    $path = [Environment]::GetEnvironmentVariable('PSREMEDY_LAB_STATE')
    if ([string]::IsNullOrWhiteSpace($path)) {
        throw [System.InvalidOperationException]::new('The lab module needs the host state file: set PSREMEDY_LAB_STATE to its path (see lab/STATE.md).')
    }
    return $path.Split([IO.Path]::PathSeparator)[0]
}

# Iterative on purpose: a recursive PowerShell function costs a call per JSON node.
function ConvertFrom-LabJson {
    param([string]$Text)
    $doc = [System.Text.Json.JsonDocument]::Parse($Text, [System.Text.Json.JsonDocumentOptions]::new())
    try {
        $root = New-LabMap
        $stack = [System.Collections.Generic.Stack[object]]::new()
        $stack.Push(@($doc.RootElement, $root))
        while ($stack.Count -gt 0) {
            $frame = $stack.Pop()
            $element = [System.Text.Json.JsonElement]$frame[0]
            $container = $frame[1]
            $isObject = $element.ValueKind -eq [System.Text.Json.JsonValueKind]::Object
            $children = if ($isObject) { $element.EnumerateObject() } else { $element.EnumerateArray() }
            foreach ($child in $children) {
                $value = if ($isObject) { $child.Value } else { $child }
                $converted = $null
                switch ($value.ValueKind) {
                    'Object' { $converted = New-LabMap; $stack.Push(@($value, $converted)) }
                    'Array' { $converted = [System.Collections.Generic.List[object]]::new(); $stack.Push(@($value, $converted)) }
                    'String' { $converted = $value.GetString() }
                    'Number' { $long = 0L; if ($value.TryGetInt64([ref]$long)) { $converted = $long } else { $converted = $value.GetDouble() } }
                    'True' { $converted = $true }
                    'False' { $converted = $false }
                }
                if ($isObject) { $container[$child.Name] = $converted } else { $container.Add($converted) }
            }
        }
        return $root
    }
    finally { $doc.Dispose() }
}

$script:Snapshot = $null

# The host state, parsed fresh (for cmdlets that change it) or, with -ReadOnly, a shared snapshot
# reused while the file is unchanged (for cmdlets that only look; they must not modify it).
function Read-LabState {
    param([string]$Path = (Get-LabStatePath), [switch]$ReadOnly)
    $info = [IO.FileInfo]::new($Path)
    if (-not $info.Exists) {
        throw [System.IO.FileNotFoundException]::new("The lab host state file '$Path' (PSREMEDY_LAB_STATE) does not exist.", $Path)
    }
    $stamp = "$($info.FullName)|$($info.Length)|$($info.LastWriteTimeUtc.Ticks)"
    if ($ReadOnly -and $null -ne $script:Snapshot -and $script:Snapshot.Stamp -eq $stamp) { return $script:Snapshot.State }
    $state = ConvertFrom-LabJson ([IO.File]::ReadAllText($Path))
    if ($ReadOnly) { $script:Snapshot = @{ Stamp = $stamp; State = $state } }
    return $state
}

# Iterative for the same reason as ConvertFrom-LabJson: a work stack of values and end markers.
function Write-LabJson {
    param([System.Text.Json.Utf8JsonWriter]$Writer, $Value)
    $endObject = [object]::new()
    $endArray = [object]::new()
    $stack = [System.Collections.Generic.Stack[object]]::new()
    $stack.Push(@($null, $Value))
    while ($stack.Count -gt 0) {
        $item = $stack.Pop()
        if ([object]::ReferenceEquals($item, $endObject)) { $Writer.WriteEndObject(); continue }
        if ([object]::ReferenceEquals($item, $endArray)) { $Writer.WriteEndArray(); continue }
        if ($null -ne $item[0]) { $Writer.WritePropertyName([string]$item[0]) }
        $v = $item[1]
        if ($null -eq $v) { $Writer.WriteNullValue() }
        elseif ($v -is [System.Collections.IDictionary]) {
            $Writer.WriteStartObject()
            $stack.Push($endObject)
            $keys = @($v.Keys)
            for ($i = $keys.Count - 1; $i -ge 0; $i--) { $stack.Push(@([string]$keys[$i], $v[$keys[$i]])) }
        }
        elseif ($v -is [string] -or $v -is [char]) { $Writer.WriteStringValue([string]$v) }
        elseif ($v -is [bool]) { $Writer.WriteBooleanValue($v) }
        elseif ($v -is [System.Collections.IEnumerable]) {
            $Writer.WriteStartArray()
            $stack.Push($endArray)
            $items = @($v)
            for ($i = $items.Count - 1; $i -ge 0; $i--) { $stack.Push(@($null, $items[$i])) }
        }
        elseif ($v -is [double] -or $v -is [single] -or $v -is [decimal]) { $Writer.WriteNumberValue([double]$v) }
        elseif ($v -is [enum]) { $Writer.WriteStringValue($v.ToString()) }
        elseif ($v -is [datetime]) { $Writer.WriteStringValue((ConvertTo-LabTimestamp $v)) }
        else { $Writer.WriteNumberValue([long]$v) }
    }
}

function Save-LabState {
    param([System.Collections.IDictionary]$State, [string]$Path = (Get-LabStatePath))
    $options = [System.Text.Json.JsonWriterOptions]::new()
    $options.Indented = $true
    $options.Encoder = [System.Text.Encodings.Web.JavaScriptEncoder]::UnsafeRelaxedJsonEscaping
    $buffer = [System.IO.MemoryStream]::new()
    $writer = [System.Text.Json.Utf8JsonWriter]::new($buffer, $options)
    Write-LabJson $writer $State
    $writer.Flush()
    $buffer.WriteByte(10)
    $temp = "$Path.$PID.tmp"
    [IO.File]::WriteAllBytes($temp, $buffer.ToArray())
    # Rename over the old file: readers see the old or the new state, never half a file.
    [IO.File]::Move($temp, $Path, $true)
}

function ConvertTo-LabTimestamp {
    param([datetime]$Date)
    return $Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture)
}

function ConvertFrom-LabTimestamp {
    param([string]$Text)
    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    return [datetime]::Parse($Text, [cultureinfo]::InvariantCulture, $styles).ToLocalTime()
}

function Get-LabNow {
    param([System.Collections.IDictionary]$State = (Read-LabState -ReadOnly))
    return ConvertFrom-LabTimestamp $State.clock
}

function Get-LabFqdn {
    param([System.Collections.IDictionary]$State)
    if ($State.Contains('domain') -and $State.domain) { return "$($State.hostName).$($State.domain)" }
    return [string]$State.hostName
}

function New-LabMap {
    return [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::OrdinalIgnoreCase)
}

function Add-LabEvent {
    param(
        [System.Collections.IDictionary]$State,
        [string]$LogName, [string]$ProviderName, [int]$Id, [int]$Level, [string]$Message
    )
    $next = 1L
    foreach ($e in $State.events) { if ($e.Contains('recordId') -and $e.recordId -ge $next) { $next = $e.recordId + 1 } }
    $event = New-LabMap
    $event.logName = $LogName
    $event.providerName = $ProviderName
    $event.id = [long]$Id
    $event.level = [long]$Level
    $event.timeCreated = [string]$State.clock
    $event.message = $Message
    $event.recordId = $next
    $State.events.Add($event)
}
