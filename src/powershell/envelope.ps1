# The PowerShell side of psremedy's script protocol, defined once per process as global functions
# (src/powershell/envelope-source.ts reads this file; the session sends it as one line).
# Runs on Windows PowerShell 5.1 and PowerShell 7: no ternary, `??`, `-AsHashtable`, `-DateKind`.
# Every request arrives as one line naming one of these functions with one base64 argument, and
# every answer is one `@@psremedy:<id>:<base64 json>` line on [Console]::Out.
$global:MaximumHistoryCount = 1
$global:ProgressPreference = 'SilentlyContinue'
$global:ConfirmPreference = 'None'
$global:PsRemedyRemote = $null
$global:PsRemedyScriptBlocks = [System.Collections.Hashtable]::new([System.StringComparer]::Ordinal)

function global:ConvertFrom-PsRemedyWire {
  param($Value)
  # Strings travel as '~' + text, so no JSON reader (PowerShell 7 or 5.1) can turn them into dates.
  if ($null -eq $Value) { return $null }
  if ($Value -is [string]) { return $Value.Substring(1) }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $table = @{}
    foreach ($property in $Value.PSObject.Properties) { $table[$property.Name] = ConvertFrom-PsRemedyWire $property.Value }
    return $table
  }
  if ($Value -is [System.Array]) {
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Value) { $items.Add((ConvertFrom-PsRemedyWire $item)) }
    return ,$items.ToArray()
  }
  return $Value
}

function global:ConvertTo-PsRemedyData {
  param($Value, [int]$Depth = 0)
  # Results become plain data the same way on 5.1 and 7: dates as ISO 8601, enums as names.
  if ($null -eq $Value) { return $null }
  if ($Value -is [string]) { return [string]$Value }
  if ($Value -is [char]) { return [string]$Value }
  if ($Value -is [datetime]) { return $Value.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) }
  if ($Value -is [System.DateTimeOffset]) { return $Value.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) }
  if ($Value -is [enum]) { return $Value.ToString() }
  if ($Value -is [ValueType]) { return $Value }
  if ($Depth -ge 30) { return [string]$Value }
  if ($Value -is [System.Collections.IDictionary]) {
    $map = [ordered]@{}
    foreach ($key in $Value.Keys) { $map[[string]$key] = ConvertTo-PsRemedyData $Value[$key] ($Depth + 1) }
    return $map
  }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $map = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) { $map[$property.Name] = ConvertTo-PsRemedyData $property.Value ($Depth + 1) }
    return $map
  }
  if ($Value -is [System.Collections.IEnumerable]) {
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Value) { $items.Add((ConvertTo-PsRemedyData $item ($Depth + 1))) }
    return ,$items.ToArray()
  }
  return [string]$Value
}

function global:ConvertTo-PsRemedyError {
  param([System.Management.Automation.ErrorRecord]$Record)
  $exception = $Record.Exception
  $line = $null
  $message = $exception.Message
  $parse = $exception
  while ($null -ne $parse -and -not ($parse -is [System.Management.Automation.ParseException])) { $parse = $parse.InnerException }
  if ($null -ne $parse -and $parse.Errors.Count -gt 0) {
    $exception = $parse
    $first = $parse.Errors[0]
    $message = $first.Message
    $line = $first.Extent.StartLineNumber
  } elseif ($null -ne $Record.InvocationInfo -and $Record.InvocationInfo.ScriptLineNumber -gt 0) {
    $line = $Record.InvocationInfo.ScriptLineNumber
  }
  $thrown = $null
  if ($Record.TargetObject -is [System.Management.Automation.PSCustomObject] -or $Record.TargetObject -is [System.Collections.IDictionary]) {
    $thrown = ConvertTo-PsRemedyData $Record.TargetObject
  }
  return [ordered]@{
    message = [string]$message
    type = $exception.GetType().FullName
    category = $Record.CategoryInfo.Category.ToString()
    fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
    scriptStackTrace = [string]$Record.ScriptStackTrace
    line = $line
    thrownObject = $thrown
  }
}

function global:New-PsRemedyScriptBlock {
  param([string]$Text)
  # A step runs from its approved text, not from a file: named as a file on a drive that does not
  # exist, so $PSScriptRoot and $PSCommandPath lead nowhere instead of to the current folder or C:.
  # (src/powershell/envelope-source.ts names the same file in APPROVED_SCRIPT_NAME.)
  $cached = $global:PsRemedyScriptBlocks[$Text]
  if ($null -ne $cached) { return $cached }
  $tokens = $null
  $errors = $null
  try {
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, 'psremedy-approved:/script.ps1', [ref]$tokens, [ref]$errors)
  } catch [System.Management.Automation.MethodException] {
    return [ScriptBlock]::Create($Text)
  }
  if ($errors.Count -gt 0) { throw [System.Management.Automation.ParseException]::new($errors) }
  if ($global:PsRemedyScriptBlocks.Count -ge 64) { $global:PsRemedyScriptBlocks.Clear() }
  $block = $ast.GetScriptBlock()
  $global:PsRemedyScriptBlocks[$Text] = $block
  return $block
}

function global:Import-PsRemedyModule {
  param([string]$Name, [string]$Text)
  # Modules are defined from the text psremedy read with the script (the approved bytes), never
  # looked up on disk; -Force replaces an older version defined earlier in this session.
  try {
    $module = New-Module -Name $Name -ScriptBlock ([ScriptBlock]::Create($Text)) -Verbose:$false
    Import-Module -ModuleInfo $module -Global -Force -Verbose:$false
  } catch {
    throw "Could not define the module $Name that the script uses: $($_.Exception.Message)"
  }
}

function global:Test-PsRemedyShouldProcess {
  param([ScriptBlock]$Script)
  foreach ($attribute in $Script.Attributes) {
    if ($attribute -is [System.Management.Automation.CmdletBindingAttribute] -and $attribute.SupportsShouldProcess) { return $true }
  }
  return $false
}

function global:Invoke-PsRemedyCore {
  param([string]$PsRemedyRequestB64)
  $psremedyClock = [System.Diagnostics.Stopwatch]::StartNew()
  $psremedyAnswer = [ordered]@{
    ok = $true; result = $null; output = $null; error = $null
    warnings = [System.Collections.Generic.List[string]]::new()
    verbose = [System.Collections.Generic.List[string]]::new()
    information = [System.Collections.Generic.List[string]]::new()
    errors = [System.Collections.Generic.List[string]]::new()
    durationMs = 0
  }
  $psremedyOutput = [System.Collections.Generic.List[object]]::new()
  try {
    $psremedyJson = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($PsRemedyRequestB64))
    $psremedyRequest = ConvertFrom-Json -InputObject $psremedyJson
    $psremedyJson = $null
    $psremedyParams = @{}
    foreach ($psremedyProperty in $psremedyRequest.params.PSObject.Properties) {
      # Inline the common case (a string); function calls cost more than the rest of the envelope.
      if ($psremedyProperty.Value -is [string]) { $psremedyParams[$psremedyProperty.Name] = $psremedyProperty.Value.Substring(1) }
      else { $psremedyParams[$psremedyProperty.Name] = ConvertFrom-PsRemedyWire $psremedyProperty.Value }
    }
    $psremedyWhatIf = [bool]$psremedyRequest.whatIf
    if ($psremedyWhatIf) { $psremedyParams['WhatIf'] = $true }
    $psremedyScript = New-PsRemedyScriptBlock $psremedyRequest.script.Substring(1)
    if ($psremedyWhatIf -and -not (Test-PsRemedyShouldProcess $psremedyScript)) {
      # Without SupportsShouldProcess, -WhatIf lands in $args and the script changes things for real:
      # neither the script nor its modules run.
      $psremedyRequest = $null
      $psremedyAnswer.ok = $false
      $psremedyAnswer.noPreview = $true
      $psremedyAnswer.error = [ordered]@{ message = 'the script does not declare [CmdletBinding(SupportsShouldProcess)], so -WhatIf cannot preview it; it was not run'; type = 'PsRemedy.NoShouldProcess' }
    } else {
      if ($null -ne $psremedyRequest.PSObject.Properties['modules']) {
        foreach ($psremedyModule in $psremedyRequest.modules) { Import-PsRemedyModule $psremedyModule.name.Substring(1) $psremedyModule.text.Substring(1) }
      }
      $psremedyRequest = $null
      $ErrorActionPreference = 'Stop'
      $VerbosePreference = 'Continue'
      $InformationPreference = 'Continue'
      & $psremedyScript @psremedyParams *>&1 | & { process {
        if ($_ -is [System.Management.Automation.WarningRecord]) { $psremedyAnswer.warnings.Add($_.Message) }
        elseif ($_ -is [System.Management.Automation.VerboseRecord]) { $psremedyAnswer.verbose.Add($_.Message) }
        elseif ($_ -is [System.Management.Automation.InformationRecord]) { $psremedyAnswer.information.Add([string]$_.MessageData) }
        elseif ($_ -is [System.Management.Automation.ErrorRecord]) { $psremedyAnswer.errors.Add([string]$_) }
        elseif ($_ -is [System.Management.Automation.DebugRecord]) { $psremedyAnswer.verbose.Add('DEBUG: ' + $_.Message) }
        else { $psremedyOutput.Add($_) }
      } }
    }
  } catch {
    $psremedyAnswer.ok = $false
    $psremedyAnswer.error = ConvertTo-PsRemedyError $_
  }
  $ErrorActionPreference = 'Continue'
  if ($psremedyOutput.Count -gt 0) {
    $psremedyLast = $psremedyOutput[$psremedyOutput.Count - 1]
    # Strings and numbers need no conversion; skipping the call is a measurable share of a step.
    if ($psremedyLast -is [string]) {
      $psremedyAnswer.result = [string]$psremedyLast
    } elseif (($psremedyLast -is [ValueType] -and -not ($psremedyLast -is [datetime] -or $psremedyLast -is [enum] -or $psremedyLast -is [char] -or $psremedyLast -is [System.DateTimeOffset]))) {
      $psremedyAnswer.result = $psremedyLast
    } else {
      $psremedyAnswer.result = ConvertTo-PsRemedyData $psremedyLast
    }
  }
  if ($psremedyOutput.Count -gt 1) { $psremedyAnswer.output = ConvertTo-PsRemedyData $psremedyOutput }
  $psremedyAnswer.durationMs = $psremedyClock.Elapsed.TotalMilliseconds
  return (ConvertTo-Json -InputObject $psremedyAnswer -Depth 100 -Compress -WarningAction SilentlyContinue)
}

function global:Write-PsRemedyAnswer {
  param([string]$Id, [string]$Json)
  [Console]::Out.WriteLine('@@psremedy:' + $Id + ':' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Json)))
}

function global:Read-PsRemedyPayload {
  param([string]$Argument)
  # Large payloads come in a private temp file (file.<base64 path>): long lines are slow to read
  # and the console host keeps every distinct line it ran.
  if (-not $Argument.StartsWith('file.')) { return $Argument }
  $path = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Argument.Substring(5)))
  try { return [System.IO.File]::ReadAllText($path) } finally { [System.IO.File]::Delete($path) }
}

function global:Write-PsRemedyFailure {
  param([string]$Id, [System.Management.Automation.ErrorRecord]$Record, [bool]$ConnectionLost)
  $answer = [ordered]@{ ok = $false; error = (ConvertTo-PsRemedyError $Record); connectionLost = $ConnectionLost }
  Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $answer -Depth 100 -Compress -WarningAction SilentlyContinue)
}

function global:Invoke-PsRemedyRequest {
  param([string]$Id, [string]$RequestB64)
  [Console]::Out.WriteLine('@@psremedy-begin:' + $Id)
  Write-PsRemedyAnswer $Id (Invoke-PsRemedyCore (Read-PsRemedyPayload $RequestB64))
}

function global:Get-PsRemedyHello {
  param([string]$Id)
  $answer = [ordered]@{ ok = $true; result = [ordered]@{ version = $PSVersionTable.PSVersion.ToString(); edition = [string]$PSVersionTable.PSEdition; pid = $PID } }
  Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $answer -Compress)
}

function global:Get-PsRemedyStartupPath {
  param([string]$PathsB64)
  $paths = ConvertFrom-PsRemedyWire (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($PathsB64))))
  return ,$paths
}

function global:Test-PsRemedyConnectionLost {
  param([System.Management.Automation.ErrorRecord]$Record)
  $remote = $global:PsRemedyRemote
  if ($null -eq $remote) { return $true }
  $state = $remote.Runspace.RunspaceStateInfo.State.ToString()
  if ($state -ne 'Opened') { return $true }
  $exception = $Record.Exception
  while ($null -ne $exception) {
    if ($exception -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { return $true }
    $exception = $exception.InnerException
  }
  return $false
}

# Why this engine cannot open an SSH session, or $null. 5.1's New-PSSession has no -HostName,
# -UserName, -KeyFilePath (about New-PSSession, 5.1); -Options needs PowerShell 7.3.
function global:Get-PsRemedySshProblem {
  param([version]$Version, [bool]$HasOptions)
  if ($Version.Major -lt 6) { return 'SSH targets need PowerShell 7 as psremedy''s engine; this is Windows PowerShell ' + $Version + ', whose New-PSSession has no -HostName. Install PowerShell 7 (pwsh) or set PSREMEDY_POWERSHELL to it, or use a WinRM target.' }
  if ($HasOptions -and $Version -lt [version]'7.3') { return 'SSH options need PowerShell 7.3 or later as psremedy''s engine (New-PSSession -Options); this is ' + $Version + '.' }
  return $null
}

# Under AppLocker or WDAC a remote session runs in ConstrainedLanguage (about_Language_Modes):
# the envelope's .NET calls are not allowed there, so say so instead of failing on its first line.
function global:Get-PsRemedyLanguageProblem {
  param([string]$Mode)
  if ($Mode -eq 'FullLanguage') { return $null }
  return 'The server''s PowerShell session runs in ' + $Mode + ' mode (an AppLocker or WDAC / Device Guard policy): psremedy''s scripts need FullLanguage (they use .NET types such as System.Convert and SslStream). Allow them (sign the scripts and trust the signer in the policy), or run the checks on the server by hand.'
}

function global:Open-PsRemedyTarget {
  param([string]$Id, [string]$TargetB64)
  try {
    $target = ConvertFrom-PsRemedyWire (ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($TargetB64))))
    $TargetB64 = $null
    if ($null -ne $global:PsRemedyRemote) {
      $old = $global:PsRemedyRemote
      $global:PsRemedyRemote = $null
      try { Remove-PSSession -Session $old -ErrorAction SilentlyContinue } catch { $null = $_ }
    }
    $open = @{ ErrorAction = 'Stop' }
    if ($target['kind'] -eq 'ssh') {
      $problem = Get-PsRemedySshProblem $PSVersionTable.PSVersion ($null -ne $target['sshOptions'])
      if ($null -ne $problem) { throw $problem }
      $open['HostName'] = $target['hostName']
      if ($null -ne $target['port']) { $open['Port'] = [int]$target['port'] }
      if ($null -ne $target['userName']) { $open['UserName'] = $target['userName'] }
      if ($null -ne $target['keyFilePath']) { $open['KeyFilePath'] = $target['keyFilePath'] }
      if ($null -ne $target['sshOptions']) { $open['Options'] = $target['sshOptions'] }
    } else {
      $open['ComputerName'] = $target['computerName']
      if ($null -ne $target['port']) { $open['Port'] = [int]$target['port'] }
      if ($target['useSsl']) { $open['UseSSL'] = $true }
      if ($null -ne $target['credential']) {
        $secret = [System.Net.NetworkCredential]::new('', [string]$target['credential']['password']).SecurePassword
        $open['Credential'] = [System.Management.Automation.PSCredential]::new([string]$target['credential']['userName'], $secret)
        $target['credential'] = $null
      }
      if ($null -ne $target['openTimeoutMs']) {
        # The class, not New-PSSessionOption: the same on 5.1, 7 and the lab host.
        $option = [System.Management.Automation.Remoting.PSSessionOption]::new()
        $option.OpenTimeout = [TimeSpan]::FromMilliseconds([int]$target['openTimeoutMs'])
        $open['SessionOption'] = $option
      }
    }
    $session = New-PSSession @open
    $open = $null
    $problem = Get-PsRemedyLanguageProblem ([string](Invoke-Command -Session $session -ScriptBlock { $ExecutionContext.SessionState.LanguageMode } -ErrorAction Stop))
    if ($null -ne $problem) {
      Remove-PSSession -Session $session -ErrorAction SilentlyContinue
      throw $problem
    }
    Invoke-Command -Session $session -ScriptBlock ([ScriptBlock]::Create($global:PsRemedyEnvelopeSource)) -ErrorAction Stop
    $global:PsRemedyRemote = $session
    Get-PsRemedyHello $Id
  } catch {
    # The transport's Win32 error code (5 access denied, 1326 logon failure, ...) says why it failed.
    $code = $null
    $exception = $_.Exception
    while ($null -ne $exception) {
      if ($exception -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { if ($exception.ErrorCode -ne 0) { $code = $exception.ErrorCode }; break }
      $exception = $exception.InnerException
    }
    $answer = [ordered]@{ ok = $false; error = (ConvertTo-PsRemedyError $_); connectionLost = $true; transportErrorCode = $code }
    Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $answer -Depth 100 -Compress -WarningAction SilentlyContinue)
  }
}

function global:Invoke-PsRemedyRemoteRequest {
  param([string]$Id, [string]$RequestB64, [int]$TimeoutMs, [int]$StopGraceMs)
  [Console]::Out.WriteLine('@@psremedy-begin:' + $Id)
  $RequestB64 = Read-PsRemedyPayload $RequestB64
  $remote = $global:PsRemedyRemote
  $lost = [ordered]@{ ok = $false; connectionLost = $true; error = [ordered]@{ message = 'The connection to the target was lost (the remote session is broken or closed).'; type = 'PsRemedy.ConnectionLost' } }
  if ($null -eq $remote -or $remote.Runspace.RunspaceStateInfo.State.ToString() -ne 'Opened') {
    Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $lost -Compress)
    return
  }
  $shell = [PowerShell]::Create()
  $isFinished = $false
  try {
    $shell.Runspace = $remote.Runspace
    $null = $shell.AddCommand('Invoke-PsRemedyCore').AddArgument($RequestB64)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $pending = $shell.BeginInvoke()
    # Wait in slices: a pipeline caught by a dying transport may never finish, but the runspace breaks.
    while (-not $pending.AsyncWaitHandle.WaitOne(100)) {
      if ($remote.Runspace.RunspaceStateInfo.State.ToString() -ne 'Opened') {
        Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $lost -Compress)
        return
      }
      if ($clock.ElapsedMilliseconds -ge $TimeoutMs) {
        $stopping = $shell.BeginStop($null, $null)
        $isFinished = $stopping.AsyncWaitHandle.WaitOne($StopGraceMs)
        $answer = [ordered]@{ ok = $false; timedOut = $true; stopConfirmed = $isFinished }
        Write-PsRemedyAnswer $Id (ConvertTo-Json -InputObject $answer -Compress)
        return
      }
    }
    $isFinished = $true
    $results = $shell.EndInvoke($pending)
    if ($results.Count -lt 1) { throw 'The target answered without a result.' }
    Write-PsRemedyAnswer $Id ([string]$results[0])
  } catch {
    Write-PsRemedyFailure $Id $_ (Test-PsRemedyConnectionLost $_)
  } finally {
    # Disposing a pipeline that has not finished stops it synchronously, which can block forever.
    if ($isFinished) { $shell.Dispose() }
  }
}
