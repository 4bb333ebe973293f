# The lab's client side: Resolve-DnsName and Test-NetConnection over the lab hosts' `client`
# sections (PSREMEDY_LAB_STATE, one or more state files), loaded into the local session.
Set-StrictMode -Version Latest

$areaFolder = [IO.Path]::Combine($PSScriptRoot, 'areas')
foreach ($area in 'types', 'state', 'errors', 'dnsclient', 'netconnection') {
    . ([IO.Path]::Combine($areaFolder, "$area.ps1"))
}

Export-ModuleMember -Function 'Resolve-DnsName', 'Test-NetConnection', 'Find-NetRoute'
