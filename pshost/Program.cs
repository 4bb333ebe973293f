using System;
using System.Linq;

namespace PsRemedy.Host;

/// <summary>
/// Entry point. Everything is pwsh's own console host (Microsoft.PowerShell.ConsoleHost 7.6.9) except
/// two psremedy additions: <c>-Parse</c> (the parse service) and <c>-sshs</c> with a startup script.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        HostEnvironment.Prepare();
        if (args.Length > 0 && string.Equals(args[0], "-Parse", StringComparison.OrdinalIgnoreCase))
        {
            return ParseService.Run(args.Skip(1).ToArray());
        }
        if (args.Any(SshServer.IsServerSwitch))
        {
            return SshServer.Run(args);
        }
        return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
    }
}
