# CIM: Get-CimInstance, Set-CimInstance and Invoke-CimMethod for the Terminal Services classes
# (computed from the registry, written back to it) and a few read-only root\cimv2 classes.

$script:TsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$script:RdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$script:TsPolicyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
$script:RdpDefaults = @{ fDenyTSConnections = 1; PortNumber = 3389; SecurityLayer = 1; UserAuthentication = 0; MinEncryptionLevel = 2 }
$script:TsNamespace = 'root/cimv2/TerminalServices'
$script:WbemInvalidOperation = [uint32]2147749910

# The effective RDP setting (lab/STATE.md): policy value, else the server value, else the default.
function Get-LabRdpSetting {
    param([System.Collections.IDictionary]$State, [string]$Name)
    $serverKey = if ($Name -eq 'fDenyTSConnections') { $script:TsKey } else { $script:RdpTcpKey }
    $policy = Get-LabRegistryValues $State $script:TsPolicyKey
    $found = Find-LabRegistryValueName $policy $Name
    if ($found -and $Name -ne 'PortNumber') { return @{ Value = [long]$policy[$found].value; Source = 1 } }
    $server = Get-LabRegistryValues $State $serverKey
    $found = Find-LabRegistryValueName $server $Name
    if ($found) { return @{ Value = [long]$server[$found].value; Source = 0 } }
    return @{ Value = [long]$script:RdpDefaults[$Name]; Source = 2 }
}

function Set-LabRdpServerValue {
    param([System.Collections.IDictionary]$State, [string]$Name, [long]$Value)
    $key = if ($Name -eq 'fDenyTSConnections') { $script:TsKey } else { $script:RdpTcpKey }
    $values = Get-LabRegistryValues $State $key -Create
    $existing = Find-LabRegistryValueName $values $Name
    $valueName = if ($existing) { $existing } else { $Name }
    $values[$valueName] = ConvertTo-LabRegistryValue 'DWord' $Value
}

# The listener certificate per lab/STATE.md: bound thumbprint (My, then Remote Desktop), else the
# Group Policy template's certificate, else the newest self-signed one in Remote Desktop.
function Get-LabListenerCertificate {
    param([System.Collections.IDictionary]$State)
    $rdp = Get-LabRegistryValues $State $script:RdpTcpKey
    $bound = Find-LabRegistryValueName $rdp 'SSLCertificateSHA1Hash'
    if ($bound) {
        $thumb = [string]$rdp[$bound].value
        foreach ($store in 'My', 'Remote Desktop') {
            foreach ($c in (Get-LabStoreCerts $State $store)) { if ($null -ne $c -and $c.thumbprint -eq $thumb) { return @{ Cert = $c; Thumbprint = $thumb; Type = 3 } } }
        }
        return @{ Cert = $null; Thumbprint = $thumb; Type = 3 }
    }
    # Group Policy "Server authentication certificate template": the newest auto-enrolled certificate
    # of that template in My (Win32_TSGeneralSetting SSLCertificateSHA1HashType 2).
    $policy = Get-LabRegistryValues $State $script:TsPolicyKey
    $templateValue = Find-LabRegistryValueName $policy 'CertificateTemplateName'
    if ($templateValue) {
        $template = [string]$policy[$templateValue].value
        $enrolled = @(Get-LabStoreCertItems $State 'My' | Where-Object { $_.Contains('template') -and [string]$_.template -eq $template } | Sort-LabByNotBefore)
        if ($enrolled.Count -gt 0) { return @{ Cert = $enrolled[0]; Thumbprint = [string]$enrolled[0].thumbprint; Type = 2 } }
    }
    $selfSigned = @(Get-LabStoreCertItems $State 'Remote Desktop' | Where-Object { -not ($_.Contains('selfSigned') -and $_.selfSigned -eq $false) } | Sort-LabByNotBefore)
    if ($selfSigned.Count -gt 0) { return @{ Cert = $selfSigned[0]; Thumbprint = [string]$selfSigned[0].thumbprint; Type = 1 } }
    return @{ Cert = $null; Thumbprint = '0000000000000000000000000000000000000000'; Type = 0 }
}

# Newest first, by NotBefore (as the runtime's listener picks it).
function Sort-LabByNotBefore {
    $items = @($input)
    [array]::Sort([long[]]@($items | ForEach-Object { (ConvertFrom-LabTimestamp $_.notBefore).Ticks }), [object[]]$items)
    [array]::Reverse($items)
    $items
}

function New-LabTsGeneralSetting {
    param([System.Collections.IDictionary]$State)
    $layer = Get-LabRdpSetting $State 'SecurityLayer'
    $nla = Get-LabRdpSetting $State 'UserAuthentication'
    $level = Get-LabRdpSetting $State 'MinEncryptionLevel'
    $listener = Get-LabListenerCertificate $State
    $certName = if ($listener.Cert) { ([string]$listener.Cert.subject -replace '^CN=', '') } else { '' }
    $p = [ordered]@{
        Caption                                = $null
        Description                            = $null
        InstallDate                            = $null
        Name                                   = $null
        Status                                 = $null
        TerminalName                           = 'RDP-Tcp'
        CertificateName                        = $certName
        Certificates                           = [uint32[]]@(0) * 16
        Comment                                = ''
        MinEncryptionLevel                     = [uint32]$level.Value
        PolicySourceMinEncryptionLevel         = [uint32]$level.Source
        PolicySourceSecurityLayer              = [uint32]$layer.Source
        PolicySourceUserAuthenticationRequired = [uint32]$nla.Source
        SecurityLayer                          = [uint32]$layer.Value
        SSLCertificateSHA1Hash                 = [string]$listener.Thumbprint
        SSLCertificateSHA1HashType             = [uint32]$listener.Type
        TerminalProtocol                       = 'Microsoft RDP 8.0'
        Transport                              = 'tcp'
        UserAuthenticationRequired             = [uint32]$nla.Value
        WindowsAuthentication                  = [uint32]0
    }
    return New-LabCimObject $script:TsNamespace 'Win32_TSGeneralSetting' $p
}

# Win32_TSNetworkAdapterSetting: the adapter (LANA) the RDP-Tcp listener is bound to (LanAdapter;
# 0 = all adapters). NetworkAdapterList/DeviceIDList list the adapters in ifIndex order.
function New-LabTsNetworkAdapterSetting {
    param([System.Collections.IDictionary]$State)
    $rdp = Get-LabRegistryValues $State $script:RdpTcpKey
    $found = Find-LabRegistryValueName $rdp 'LanAdapter'
    $lana = 0
    if ($found) { $lana = [long]$rdp[$found].value }
    $adapters = @($State.netAdapters | Where-Object { $_.status -ne 'Not Present' })
    $bound = @($adapters | Where-Object { $_.Contains('lanaId') -and [long]$_.lanaId -eq $lana })
    $name = 'All network adapters configured with this protocol'
    if ($lana -ne 0) { $name = $(if ($bound.Count -gt 0) { [string]$bound[0].interfaceDescription } else { '' }) }
    $p = [ordered]@{
        Caption = $null; Description = $null; InstallDate = $null; Name = $null; Status = $null
        TerminalName = 'RDP-Tcp'
        DeviceIDList = [string[]]@($adapters | ForEach-Object { [string]$_.ifIndex })
        MaximumConnections = [uint32]4294967295
        NetworkAdapterID = $(if ($bound.Count -gt 0) { [string]$bound[0].ifIndex } else { '' })
        NetworkAdapterLanaID = [uint32]$lana
        NetworkAdapterList = [string[]]@($adapters | ForEach-Object { [string]$_.interfaceDescription })
        NetworkAdapterName = $name
        PolicySourceMaximumConnections = [uint32]0
    }
    return New-LabCimObject $script:TsNamespace 'Win32_TSNetworkAdapterSetting' $p
}

function New-LabTerminalServiceSetting {
    param([System.Collections.IDictionary]$State)
    $deny = Get-LabRdpSetting $State 'fDenyTSConnections'
    $p = [ordered]@{
        Caption = $null; Description = $null; InstallDate = $null; Name = $null; Status = $null
        ServerName = Get-LabFqdn $State
        AllowTSConnections = [uint32](1 - [Math]::Min($deny.Value, 1))
        DeleteTempFolders = [uint32]1; DisableForcibleLogoff = [uint32]0; DirectConnectLicenseServers = ''
        LicensingType = [uint32]5; LicensingName = 'Remote Desktop for Administration'; LicensingDescription = ''
        Logons = [uint32]0; PolicySourceAllowTSConnections = [uint32]([Math]::Min($deny.Source, 1)); SingleSession = [uint32]1
        TerminalServerMode = [uint32]0; UserPermission = [uint32]0; UseTempFolders = [uint32]1
    }
    return New-LabCimObject $script:TsNamespace 'Win32_TerminalServiceSetting' $p
}

function New-LabWin32Service {
    param([System.Collections.IDictionary]$State, [System.Collections.IDictionary]$Service)
    $running = $Service.status -eq 'Running'
    $mode = switch ($Service.startType) { 'Automatic' { 'Auto' } default { [string]$Service.startType } }
    $processId = 0
    if ($running) { $processId = [uint32](Get-LabRuleField $Service 'processId' '1000') }
    $p = [ordered]@{
        Name = [string]$Service.name; DisplayName = [string]$Service.displayName; Description = Get-LabRuleField $Service 'description' ''
        State = [string]$Service.status; Status = 'OK'; Started = $running; StartMode = $mode
        DelayedAutoStart = [bool]($Service.Contains('delayedAutoStart') -and $Service.delayedAutoStart)
        ProcessId = [uint32]$processId; StartName = Get-LabRuleField $Service 'userName' 'LocalSystem'
        PathName = Get-LabRuleField $Service 'binaryPathName' 'C:\Windows\system32\svchost.exe -k netsvcs -p'
        ServiceType = 'Share Process'; AcceptStop = $running; AcceptPause = $false; ExitCode = [uint32]0; SystemName = [string]$State.hostName
    }
    return New-LabCimObject 'root/cimv2' 'Win32_Service' $p
}

function Get-LabCimClassInstances {
    param([System.Collections.IDictionary]$State, [string]$Namespace, [string]$ClassName)
    $ns = $Namespace.Replace('/', '\').Trim('\').ToLowerInvariant()
    if ($ns -eq 'root\cimv2\terminalservices') {
        switch ($ClassName) {
            'Win32_TSGeneralSetting' { return @(New-LabTsGeneralSetting $State) }
            'Win32_TerminalServiceSetting' { return @(New-LabTerminalServiceSetting $State) }
            'Win32_TSNetworkAdapterSetting' { return @(New-LabTsNetworkAdapterSetting $State) }
        }
        return $null
    }
    if ($ns -eq 'root\cimv2') {
        switch ($ClassName) {
            'Win32_Service' { return @($State.services | ForEach-Object { New-LabWin32Service $State $_ }) }
            'Win32_ComputerSystem' {
                $domain = Get-LabRuleField $State 'domain' ''
                $p = [ordered]@{
                    Name = [string]$State.hostName; DNSHostName = [string]$State.hostName; Domain = $(if ($domain) { $domain } else { 'WORKGROUP' })
                    PartOfDomain = [bool]$domain; Workgroup = $(if ($domain) { $null } else { 'WORKGROUP' }); Manufacturer = 'Microsoft Corporation'
                    Model = 'Virtual Machine'; DomainRole = [uint16]$(if ($domain) { 3 } else { 2 }); TotalPhysicalMemory = [uint64]8589934592
                }
                return @(New-LabCimObject 'root/cimv2' 'Win32_ComputerSystem' $p)
            }
            'Win32_OperatingSystem' {
                $now = Get-LabNow $State
                $p = [ordered]@{
                    Caption = 'Microsoft Windows Server 2022 Datacenter'; Version = '10.0.20348'; BuildNumber = '20348'; CSName = [string]$State.hostName
                    OSArchitecture = '64-bit'; ProductType = [uint32]3; LastBootUpTime = $now.AddHours(-6); LocalDateTime = $now; SystemDirectory = 'C:\Windows\system32'
                }
                return @(New-LabCimObject 'root/cimv2' 'Win32_OperatingSystem' $p)
            }
        }
        return $null
    }
    return 'NoNamespace'
}

# A WQL condition list ("A='x' AND B=1") as predicates over instance properties.
function Test-LabWqlFilter {
    param([psobject]$Instance, [string]$Filter)
    if ([string]::IsNullOrWhiteSpace($Filter)) { return $true }
    foreach ($clause in [regex]::Split($Filter, '\s+AND\s+', 'IgnoreCase')) {
        $m = [regex]::Match($clause.Trim().Trim('(', ')'), '^(\w+)\s*(=|<>|!=|LIKE)\s*(?:''([^'']*)''|"([^"]*)"|(\S+))$', 'IgnoreCase')
        if (-not $m.Success) { return $false }
        $property = $Instance.PSObject.Properties[$m.Groups[1].Value]
        if ($null -eq $property) { return $false }
        $expected = if ($m.Groups[3].Success) { $m.Groups[3].Value } elseif ($m.Groups[4].Success) { $m.Groups[4].Value } else { $m.Groups[5].Value }
        $actual = [string]$property.Value
        if ($actual -eq 'True' -or $actual -eq 'False') { $expected = $expected.Replace('TRUE', 'True').Replace('FALSE', 'False') }
        $ok = switch ($m.Groups[2].Value.ToUpperInvariant()) {
            'LIKE' { Test-LabLike $actual ($expected.Replace('%', '*').Replace('_', '?')) }
            '=' { [string]::Equals($actual, $expected, [StringComparison]::OrdinalIgnoreCase) }
            default { -not [string]::Equals($actual, $expected, [StringComparison]::OrdinalIgnoreCase) }
        }
        if (-not $ok) { return $false }
    }
    return $true
}

function New-LabCimError {
    param([string]$Message, [string]$HResult, [System.Management.Automation.ErrorCategory]$Category, $Target, [string]$CommandClass)
    return New-LabErrorRecord -Message $Message -ErrorId "HRESULT $HResult" -Category $Category -TargetObject $Target -ExceptionType 'System.Exception' `
        -OriginatorType "Microsoft.Management.Infrastructure.CimCmdlets.$CommandClass"
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)][string]$Query,
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory, Position = 0, ValueFromPipeline)][Alias('CimInstance')][psobject]$InputObject,
        [string]$Namespace = 'root\cimv2',
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][string]$Filter,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Alias('SelectProperties')][string[]]$Property,
        [string]$QueryDialect,
        [switch]$KeyOnly,
        [switch]$Shallow,
        [Alias('OT')][uint32]$OperationTimeoutSec,
        [Alias('CN', 'ServerName')][string[]]$ComputerName,
        [object[]]$CimSession,
        [uri]$ResourceUri
    )
    process {
        $state = Read-LabState -ReadOnly
        if ($Query) {
            $m = [regex]::Match($Query, '^\s*SELECT\s+.+?\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+))?$', 'IgnoreCase')
            $ClassName = $m.Groups[1].Value
            $Filter = $m.Groups[2].Value
        }
        if ($InputObject) {
            $typeName = [string]$InputObject.PSTypeNames[0]
            $m = [regex]::Match($typeName, '#(.+)/([^/]+)$')
            $Namespace = $m.Groups[1].Value
            $ClassName = $m.Groups[2].Value
        }
        $instances = Get-LabCimClassInstances $state $Namespace $ClassName
        if ($instances -is [string]) {
            $PSCmdlet.WriteError((New-LabCimError 'Invalid namespace ' '0x8004100e' MetadataError $Namespace 'GetCimInstanceCommand'))
            return
        }
        if ($null -eq $instances) {
            $PSCmdlet.WriteError((New-LabCimError 'Invalid class ' '0x80041010' MetadataError $ClassName 'GetCimInstanceCommand'))
            return
        }
        foreach ($i in $instances) { if (Test-LabWqlFilter $i $Filter) { $i } }
    }
}

function Get-LabCimClassOf {
    param([psobject]$Instance)
    $m = [regex]::Match([string]$Instance.PSTypeNames[0], '#(.+)/([^/]+)$')
    return @{ Namespace = $m.Groups[1].Value; ClassName = $m.Groups[2].Value }
}

function Set-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'CimInstanceComputerSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory, Position = 0, ValueFromPipeline)][Alias('CimInstance')][psobject]$InputObject,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)][string]$Query,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)]
        [Parameter(ParameterSetName = 'CimInstanceComputerSet')][Alias('Arguments')][System.Collections.IDictionary]$Property,
        [string]$Namespace,
        [string]$QueryDialect,
        [switch]$PassThru,
        [Alias('OT')][uint32]$OperationTimeoutSec,
        [Alias('CN', 'ServerName')][string[]]$ComputerName,
        [object[]]$CimSession,
        [uri]$ResourceUri
    )
    process {
        $state = Read-LabState
        $targets = if ($Query) { @(Get-CimInstance -Query $Query -Namespace $(if ($Namespace) { $Namespace } else { 'root\cimv2' })) } else { @($InputObject) }
        foreach ($t in $targets) {
            $class = Get-LabCimClassOf $t
            $changes = [ordered]@{}
            if ($Property) { foreach ($k in $Property.Keys) { $changes[$k] = $Property[$k] } }
            else {
                $current = @(Get-LabCimClassInstances $state $class.Namespace $class.ClassName)[0]
                foreach ($prop in $t.PSObject.Properties) {
                    $was = $current.PSObject.Properties[$prop.Name]
                    if ($was -and [string]$was.Value -ne [string]$prop.Value) { $changes[$prop.Name] = $prop.Value }
                }
            }
            if ($class.ClassName -ne 'Win32_TSGeneralSetting' -or @($changes.Keys | Where-Object { $_ -ne 'SSLCertificateSHA1Hash' }).Count -gt 0) {
                $PSCmdlet.WriteError((New-LabCimError 'Provider is not capable of the attempted operation ' '0x80041024' NotImplemented $t 'SetCimInstanceCommand'))
                continue
            }
            if ($changes.Count -eq 0) { if ($PassThru) { New-LabTsGeneralSetting $state }; continue }
            $thumb = ([string]$changes.SSLCertificateSHA1Hash).Replace(' ', '').ToUpperInvariant()
            if (@(Get-LabStoreCertItems $state 'My' | Where-Object { $_.thumbprint -eq $thumb }).Count -eq 0) {
                $PSCmdlet.WriteError((New-LabCimError 'Invalid parameter ' '0x80041008' InvalidArgument $t 'SetCimInstanceCommand'))
                continue
            }
            if (-not $PSCmdlet.ShouldProcess("Win32_TSGeneralSetting (TerminalName = `"RDP-Tcp`")", 'Set-CimInstance')) { continue }
            $values = Get-LabRegistryValues $state $script:RdpTcpKey -Create
            $values['SSLCertificateSHA1Hash'] = ConvertTo-LabRegistryValue 'Binary' $thumb
            Save-LabState $state
            if ($PassThru) { New-LabTsGeneralSetting $state }
        }
    }
}

function Invoke-LabTsMethod {
    param([System.Collections.IDictionary]$State, [string]$ClassName, [string]$MethodName, [System.Collections.IDictionary]$Arguments)
    $setting = switch ("$ClassName.$MethodName") {
        'Win32_TSGeneralSetting.SetUserAuthenticationRequired' { @{ Name = 'UserAuthentication'; Argument = 'UserAuthenticationRequired' } }
        'Win32_TSGeneralSetting.SetSecurityLayer' { @{ Name = 'SecurityLayer'; Argument = 'SecurityLayer' } }
        'Win32_TSGeneralSetting.SetEncryptionLevel' { @{ Name = 'MinEncryptionLevel'; Argument = 'MinEncryptionLevel' } }
        'Win32_TerminalServiceSetting.SetAllowTSConnections' { @{ Name = 'fDenyTSConnections'; Argument = 'AllowTSConnections' } }
        default { $null }
    }
    if ($null -eq $setting) { return $null }
    $argument = $null
    foreach ($k in $Arguments.Keys) { if ($k -eq $setting.Argument) { $argument = [long]$Arguments[$k] } }
    if ($null -eq $argument) { return [uint32]2147749896 }
    if ((Get-LabRdpSetting $State $setting.Name).Source -eq 1) { return $script:WbemInvalidOperation }
    if ($setting.Name -eq 'fDenyTSConnections') {
        Set-LabRdpServerValue $State 'fDenyTSConnections' ([long](1 - [Math]::Min($argument, 1)))
        $modify = 0
        foreach ($k in $Arguments.Keys) { if ($k -eq 'ModifyFirewallException') { $modify = [long]$Arguments[$k] } }
        if ($modify -eq 1) { foreach ($r in $State.firewall.rules) { if ($r.Contains('group') -and $r.group -eq '@FirewallAPI.dll,-28752') { $r.enabled = ($argument -eq 1) } } }
    }
    else { Set-LabRdpServerValue $State $setting.Name $argument }
    return [uint32]0
}

function Invoke-CimMethod {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory, Position = 0, ValueFromPipeline)][Alias('CimInstance')][psobject]$InputObject,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)][string]$Query,
        [Parameter(Mandatory, Position = 1)][Alias('Name')][string]$MethodName,
        [Parameter(Position = 2)][System.Collections.IDictionary]$Arguments = @{},
        [string]$Namespace = 'root\cimv2',
        [string]$QueryDialect,
        [Alias('OT')][uint32]$OperationTimeoutSec,
        [Alias('CN', 'ServerName')][string[]]$ComputerName,
        [object[]]$CimSession,
        [uri]$ResourceUri
    )
    process {
        $state = Read-LabState
        if ($InputObject) { $class = Get-LabCimClassOf $InputObject; $Namespace = $class.Namespace; $ClassName = $class.ClassName }
        if ($Query) { $ClassName = [regex]::Match($Query, '\s+FROM\s+(\w+)', 'IgnoreCase').Groups[1].Value }
        $instances = Get-LabCimClassInstances $state $Namespace $ClassName
        if ($null -eq $instances -or $instances -is [string]) {
            $PSCmdlet.WriteError((New-LabCimError 'Invalid class ' '0x80041010' MetadataError $ClassName 'InvokeCimMethodCommand'))
            return
        }
        if (-not $PSCmdlet.ShouldProcess("$ClassName", $MethodName)) { return }
        $result = Invoke-LabTsMethod $state $ClassName $MethodName $Arguments
        if ($null -eq $result) {
            $PSCmdlet.WriteError((New-LabCimError 'Method not found ' '0x80041055' ObjectNotFound $MethodName 'InvokeCimMethodCommand'))
            return
        }
        if ($result -eq 0) { Save-LabState $state }
        New-LabObject -TypeName @("Microsoft.Management.Infrastructure.CimMethodResult#$ClassName#$MethodName", 'Microsoft.Management.Infrastructure.CimMethodResult', 'System.Object') `
            -Property ([ordered]@{ ReturnValue = [uint32]$result; PSComputerName = $null })
    }
}
