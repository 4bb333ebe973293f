# Types the simulated cmdlets return that the engine alone lacks (the CDXML-generated NetSecurity
# enums, ServiceController enums, the cmdlets' exception types), emitted once per process with
# their real full names so scripts compare, cast and catch them as on Windows.

$script:LabEnums = [ordered]@{
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled'         = [ordered]@{ True = 1; False = 2 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction'       = [ordered]@{ Inbound = 1; Outbound = 2 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action'          = [ordered]@{ NotConfigured = 0; Allow = 2; Block = 4 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile'         = [ordered]@{ Any = 0; Domain = 1; Private = 2; Public = 4; NotApplicable = 65535 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal'   = [ordered]@{ Block = 0; Allow = 1; DeferToUser = 2; DeferToApp = 3 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PrimaryStatus'   = [ordered]@{ Unknown = 0; OK = 1; Inactive = 2; Error = 3 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.GpoBoolean'      = [ordered]@{ False = 0; True = 1; NotConfigured = 2 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType' = [ordered]@{ None = 0; Local = 1; GroupPolicy = 2; Dynamic = 3; Generated = 4; Hardcoded = 5 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Authentication'  = [ordered]@{ NotRequired = 0; Required = 1; NoEncap = 2 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Encryption'      = [ordered]@{ NotRequired = 0; Required = 1; Dynamic = 2 }
    'System.ServiceProcess.ServiceControllerStatus'                                 = [ordered]@{ Stopped = 1; StartPending = 2; StopPending = 3; Running = 4; ContinuePending = 5; PausePending = 6; Paused = 7 }
    'System.ServiceProcess.ServiceStartMode'                                        = [ordered]@{ Boot = 0; System = 1; Automatic = 2; Manual = 3; Disabled = 4 }
    'System.ServiceProcess.ServiceType'                                             = [ordered]@{ KernelDriver = 1; FileSystemDriver = 2; Adapter = 4; RecognizerDriver = 8; Win32OwnProcess = 16; Win32ShareProcess = 32; InteractiveProcess = 256 }
    'Microsoft.PowerShell.Commands.ServiceStartupType'                              = [ordered]@{ InvalidValue = -1; Boot = 0; System = 1; Automatic = 2; Manual = 3; Disabled = 4; AutomaticDelayedStart = 10 }
}
$script:LabFlagEnums = @('Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile', 'System.ServiceProcess.ServiceType')
$script:LabExceptions = @(
    'Microsoft.PowerShell.Cmdletization.Cim.CimJobException',
    'Microsoft.PowerShell.Commands.ServiceCommandException',
    'Microsoft.PowerShell.Commands.CertificateNotFoundException',
    'Microsoft.PowerShell.Commands.CertificateStoreNotFoundException',
    'Microsoft.PowerShell.Commands.CertificateStoreLocationNotFoundException'
)

function Initialize-LabTypes {
    $missingEnums = @($script:LabEnums.Keys | Where-Object { -not ($_ -as [type]) })
    $missingExceptions = @($script:LabExceptions | Where-Object { -not ($_ -as [type]) })
    if ($missingEnums.Count -eq 0 -and $missingExceptions.Count -eq 0) { return }
    $name = [System.Reflection.AssemblyName]::new("PSRemedyLab.Types.$([guid]::NewGuid().ToString('N'))")
    $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly($name, [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
    $module = $assembly.DefineDynamicModule($name.Name)
    $flags = [System.Reflection.Emit.CustomAttributeBuilder]::new([System.FlagsAttribute].GetConstructor([type[]]@()), [object[]]@())
    foreach ($fullName in $missingEnums) {
        $builder = $module.DefineEnum($fullName, [System.Reflection.TypeAttributes]::Public, [int])
        if ($script:LabFlagEnums -contains $fullName) { $builder.SetCustomAttribute($flags) }
        $members = $script:LabEnums[$fullName]
        foreach ($member in $members.Keys) { [void]$builder.DefineLiteral($member, [int]$members[$member]) }
        [void]$builder.CreateType()
    }
    $baseCtor = [System.SystemException].GetConstructor([type[]]@([string]))
    foreach ($fullName in $missingExceptions) {
        $builder = $module.DefineType($fullName, [System.Reflection.TypeAttributes]'Public, Class', [System.SystemException])
        $ctor = $builder.DefineConstructor([System.Reflection.MethodAttributes]::Public, [System.Reflection.CallingConventions]::Standard, [type[]]@([string]))
        $il = $ctor.GetILGenerator()
        $il.Emit([System.Reflection.Emit.OpCodes]::Ldarg_0)
        $il.Emit([System.Reflection.Emit.OpCodes]::Ldarg_1)
        $il.Emit([System.Reflection.Emit.OpCodes]::Call, $baseCtor)
        $il.Emit([System.Reflection.Emit.OpCodes]::Ret)
        [void]$builder.CreateType()
    }
}

function ConvertTo-LabEnum {
    param([string]$TypeName, $Value)
    return [Enum]::Parse(($TypeName -as [type]), [string]$Value, $true)
}

function New-LabObject {
    param([string[]]$TypeName, [System.Collections.IDictionary]$Property, [System.Collections.IDictionary]$Alias)
    $object = [pscustomobject]$Property
    $object.PSTypeNames.Clear()
    foreach ($t in $TypeName) { $object.PSTypeNames.Add($t) }
    if ($Alias) {
        foreach ($a in $Alias.Keys) { Add-LabMember $object ([System.Management.Automation.PSAliasProperty]::new($a, $Alias[$a])) }
    }
    return $object
}

function Get-LabCimTypeNames {
    param([string]$Namespace, [string]$ClassName)
    return @(
        "Microsoft.Management.Infrastructure.CimInstance#$Namespace/$ClassName",
        "Microsoft.Management.Infrastructure.CimInstance#$ClassName",
        'Microsoft.Management.Infrastructure.CimInstance',
        'System.Object'
    )
}

function New-LabCimObject {
    param([string]$Namespace, [string]$ClassName, [System.Collections.IDictionary]$Property, [System.Collections.IDictionary]$Alias)
    $Property['PSComputerName'] = $null
    return New-LabObject -TypeName (Get-LabCimTypeNames $Namespace $ClassName) -Property $Property -Alias $Alias
}

# The engine's built-in type data gives X509Certificate2 script properties (DnsNameList,
# EnhancedKeyUsageList, ...) that call the Security module's classes, absent here; replace them
# with getters that read the certificate's own extensions.
function Initialize-LabTypeData {
    $flags = [System.Reflection.BindingFlags]'NonPublic, Public, Instance'
    $contextField = $ExecutionContext.GetType().GetField('_context', $flags)
    if (-not $contextField) { return }
    $context = $contextField.GetValue($ExecutionContext)
    $typeTable = $context.GetType().GetProperty('TypeTable', $flags).GetValue($context)
    if (-not $typeTable) { return }
    $data = [System.Management.Automation.Runspaces.TypeData]::new('System.Security.Cryptography.X509Certificates.X509Certificate2')
    $data.IsOverride = $true
    $getters = [ordered]@{
        DnsNameList              = {
            $names = @()
            foreach ($e in @($this.Extensions)) {
                if ($e -is [System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]) { $names = @($e.EnumerateDnsNames()) }
            }
            if ($names.Count -eq 0 -and $this.Subject -match 'CN=([^,]+)') { $names = @($Matches[1]) }
            , @($names | ForEach-Object {
                    $o = [pscustomobject]@{ Punycode = $_; Unicode = $_ }
                    $o.PSObject.Methods.Add([System.Management.Automation.PSScriptMethod]::new('ToString', { $this.Unicode }))
                    $o
                })
        }
        EnhancedKeyUsageList     = {
            $list = @()
            foreach ($e in @($this.Extensions)) {
                if ($e -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]) {
                    $list = @($e.EnhancedKeyUsages | ForEach-Object {
                            $o = [pscustomobject]@{ FriendlyName = $_.FriendlyName; ObjectId = $_.Value }
                            $o.PSObject.Methods.Add([System.Management.Automation.PSScriptMethod]::new('ToString', { "$($this.FriendlyName) ($($this.ObjectId))" }))
                            $o
                        })
                }
            }
            , $list
        }
        SendAsTrustedIssuer      = { $false }
        EnrollmentPolicyEndPoint = { $null }
        EnrollmentServerEndPoint = { $null }
        PolicyId                 = { $null }
    }
    foreach ($name in $getters.Keys) { $data.Members.Add($name, [System.Management.Automation.Runspaces.ScriptPropertyData]::new($name, $getters[$name])) }
    $typeTable.AddType($data)
}

# Adds a member unless the type data already supplies one of that name (as it does for some real types).
function Add-LabMember {
    param([psobject]$Object, [System.Management.Automation.PSMemberInfo]$Member)
    if ($null -ne $Object.PSObject.Members[$Member.Name] -and $Member.Name -ne 'ToString') { return }
    try { $Object.PSObject.Members.Add($Member) } catch [System.Management.Automation.ExtendedTypeSystemException] { return }
}
