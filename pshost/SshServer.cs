using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace PsRemedy.Host;

/// <summary>
/// <c>-sshs</c>: serves PowerShell remoting (PSRP) on stdin/stdout through SMA's internal
/// StdIOProcessMediator, as <c>pwsh -sshs</c> does, after loading PSREMEDY_SSHS_STARTUP if set.
/// </summary>
internal static class SshServer
{
    /// <summary>The engine version whose internal mediator signature this class was written against.</summary>
    public const string PinnedEngineVersion = "7.6.9";

    private const string MediatorType = "System.Management.Automation.Remoting.Server.StdIOProcessMediator";

    /// <summary>True for pwsh's switches that start the SSH server mode.</summary>
    public static bool IsServerSwitch(string arg) =>
        string.Equals(arg, "-sshs", StringComparison.OrdinalIgnoreCase)
        || string.Equals(arg, "-SSHServerMode", StringComparison.OrdinalIgnoreCase);

    /// <summary>Serves one remoting client until it disconnects; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var engineText = EngineVersion();
        if (engineText != PinnedEngineVersion)
        {
            Console.Error.WriteLine($"pshost -sshs: written for engine {PinnedEngineVersion}, found {engineText}; re-check {MediatorType}.Run before changing the pin.");
            return 1;
        }
        string? initialCommand;
        try
        {
            initialCommand = StartupCommand(Environment.GetEnvironmentVariable("PSREMEDY_SSHS_STARTUP"));
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"pshost -sshs: {e.Message}");
            return 1;
        }
        var run = FindRun();
        // workingDirectory stays null: the mediator would run Set-Location before the session opens.
        run.Invoke(null, [initialCommand, null, null, null, false]);
        return 0;
    }

    /// <summary>$PSVersionTable.PSVersion of the engine this process loaded.</summary>
    internal static string EngineVersion()
    {
        var table = typeof(PSObject).Assembly.GetType("System.Management.Automation.PSVersionInfo", throwOnError: true)!;
        var version = table.GetProperty("PSVersion", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null);
        return version?.ToString() ?? "unknown";
    }

    /// <summary>The script the server runs in the session before it serves: dot-source a .ps1, import a .psm1.</summary>
    internal static string? StartupCommand(string? startupPath)
    {
        if (string.IsNullOrWhiteSpace(startupPath))
        {
            return null;
        }
        var full = Path.GetFullPath(startupPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"PSREMEDY_SSHS_STARTUP names '{full}', which does not exist; set it to a .ps1 or .psm1 file or unset it.");
        }
        var quoted = "'" + full.Replace("'", "''") + "'";
        return full.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase)
            ? $"Import-Module -Name {quoted} -Global"
            : $". {quoted}";
    }

    private static MethodInfo FindRun()
    {
        var type = typeof(PSObject).Assembly.GetType(MediatorType, throwOnError: true)!;
        var run = type.GetMethod(
            "Run",
            BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
            [typeof(string), typeof(string), typeof(string), typeof(string), typeof(bool)]);
        return run ?? throw new MissingMethodException(MediatorType, "Run(string, string, string, string, bool)");
    }
}
