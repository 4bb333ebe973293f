using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation.Language;
using System.Text.Json;

namespace PsRemedy.Host;

/// <summary>
/// <c>pshost -Parse file...</c>: parses each script with the real PowerShell parser and prints, as one
/// JSON document on stdout, its syntax errors, its uses of PowerShell-7-only syntax, whether it
/// declares SupportsShouldProcess, where it loads code from a file (dot-sourcing, Import-Module of
/// a path: code outside the approved text) and its declared parameters.
/// Exit code 0 when every file parsed, 1 when any has errors, 2 on bad arguments.
/// </summary>
internal static class ParseService
{
    /// <summary>Parses the files named in <paramref name="files"/> and writes the JSON report.</summary>
    public static int Run(string[] files)
    {
        if (files.Length == 0)
        {
            Console.Error.WriteLine("pshost -Parse: name at least one .ps1/.psm1 file, e.g. pshost -Parse ps-scripts/check.ps1");
            return 2;
        }
        var reports = new List<FileReport>();
        foreach (var file in files)
        {
            reports.Add(ParseOne(file));
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(new { files = reports }, JsonOptions));
        return reports.Exists(r => r.Errors.Count > 0) ? 1 : 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static FileReport ParseOne(string file)
    {
        var full = Path.GetFullPath(file);
        if (!File.Exists(full))
        {
            return new FileReport(file, [new Finding(0, 0, "FileNotFound", $"no such file: {full}")], [], null, [], null);
        }
        var ast = Parser.ParseFile(full, out _, out var parseErrors);
        var errors = new List<Finding>();
        foreach (var e in parseErrors)
        {
            errors.Add(new Finding(e.Extent.StartLineNumber, e.Extent.StartColumnNumber, e.ErrorId, e.Message));
        }
        var ps7 = Ps7SyntaxFinder.Find(ast);
        return new FileReport(file, errors, ps7, ShouldProcessFinder.Find(ast), FileLoadFinder.Find(ast), ScriptParameterFinder.Find(ast));
    }

    /// <summary>
    /// One file's result; <c>ShouldProcess</c> is null when the file could not be read, <c>Parameters</c>
    /// when the script has no param block.
    /// </summary>
    internal sealed record FileReport(
        string Path,
        List<Finding> Errors,
        List<Finding> Ps7Only,
        ShouldProcessFinder.ShouldProcessReport? ShouldProcess,
        List<Finding> FileLoads,
        ScriptParameterFinder.ScriptParameters? Parameters);

    /// <summary>A parser error (id = the parser's ErrorId) or a PowerShell-7-only construct (id = its name).</summary>
    internal sealed record Finding(int Line, int Col, string Id, string Message);
}
