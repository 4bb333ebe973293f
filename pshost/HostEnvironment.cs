using System;
using System.IO;
using System.Text;

namespace PsRemedy.Host;

/// <summary>Process settings the engine reads at start-up, fixed before it starts.</summary>
internal static class HostEnvironment
{
    /// <summary>Opts out of telemetry, makes HOME/XDG writable, forces UTF-8, and drops ANSI when redirected.</summary>
    public static void Prepare()
    {
        Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
        Environment.SetEnvironmentVariable("POWERSHELL_UPDATECHECK", "Off");
        EnsureWritableHome();
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Console.InputEncoding = utf8;
        Console.OutputEncoding = utf8;
        if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null)
        {
            // pwsh writes colour codes and terminal modes into redirected output when TERM says xterm.
            Environment.SetEnvironmentVariable("NO_COLOR", "1");
        }
    }

    private static void EnsureWritableHome()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var home = Environment.GetEnvironmentVariable("HOME");
        if (home is not null && IsWritable(home))
        {
            return;
        }
        var fallback = Path.Combine(Path.GetTempPath(), $"psremedy-home-{Environment.UserName}");
        Directory.CreateDirectory(fallback);
        Environment.SetEnvironmentVariable("HOME", fallback);
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(fallback, ".cache"));
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(fallback, ".local", "share"));
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(fallback, ".config"));
    }

    private static bool IsWritable(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, $".psremedy-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
