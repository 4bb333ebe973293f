#Requires -Version 5.1
<#
.SYNOPSIS
    Lists the parameters each script declares (test helper).
.OUTPUTS
    One object: file name -> parameter names.
#>
[CmdletBinding(SupportsShouldProcess)]
param([Parameter(Mandatory)][string[]] $Path)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$map = [ordered]@{}
foreach ($file in $Path) {
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$null)
    $map[[System.IO.Path]::GetFileName($file)] = @($ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })
}
[pscustomobject]$map
