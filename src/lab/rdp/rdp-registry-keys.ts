/** Registry keys the RDP listener reads (as they appear in the host state). */
export const RDP_KEYS = {
  terminalServer: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server',
  rdpTcp: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp',
  policy: 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services',
  currentVersion: 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  schannelProtocols: 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols',
} as const;
