using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace PsRemedy.Host;

/// <summary>
/// Finds where a script loads PowerShell code from a file: dot-sourcing, <c>&amp;</c> or a bare
/// call of a script path, <c>Import-Module</c> of a path and <c>using module</c> of a path.
/// psremedy runs the approved text of each script, so code loaded from a file is not approved code.
/// (The guarded import of a shared module is reported too; psremedy allows it when it ships that
/// module from the approved bundle: src/playbook/shipped-module-imports.ts.)
/// </summary>
internal static class FileLoadFinder
{
    private const string Hint = "psremedy runs each script from its approved text, so a file it loads was never approved; put the helper's code into the script, or into a shared module declared as ps-scripts/lib/README.md shows";

    /// <summary>Every load of code from a file in <paramref name="ast"/>, in source order.</summary>
    public static List<ParseService.Finding> Find(Ast ast)
    {
        var found = new List<ParseService.Finding>();
        foreach (var node in ast.FindAll(_ => true, searchNestedScriptBlocks: true))
        {
            var what = node switch
            {
                CommandAst command => DescribeCommand(command),
                UsingStatementAst { UsingStatementKind: UsingStatementKind.Module } usingModule => DescribeUsingModule(usingModule),
                _ => null,
            };
            if (what is not null)
            {
                found.Add(new ParseService.Finding(node.Extent.StartLineNumber, node.Extent.StartColumnNumber, what.Value.Id, $"{what.Value.Message}; {Hint}"));
            }
        }
        return found.OrderBy(f => f.Line).ThenBy(f => f.Col).ToList();
    }

    private static (string Id, string Message)? DescribeCommand(CommandAst command)
    {
        var first = command.CommandElements.FirstOrDefault();
        if (first is null)
        {
            return null;
        }
        if (command.InvocationOperator == TokenKind.Dot)
        {
            // `. { ... }` runs a script block in the current scope: no file is involved.
            return first is ScriptBlockExpressionAst ? null : ("dotSource", $"'. {first.Extent.Text}' dot-sources a file");
        }
        if (command.InvocationOperator == TokenKind.Ampersand)
        {
            return first is ScriptBlockExpressionAst or VariableExpressionAst || !NamesScriptFile(first.Extent.Text)
                ? null
                : ("callScriptFile", $"'& {first.Extent.Text}' runs a script file");
        }
        var name = command.GetCommandName();
        if (name is null)
        {
            return null;
        }
        if (NamesScriptFile(name) && (name.Contains('/') || name.Contains('\\') || name.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)))
        {
            return ("callScriptFile", $"'{name}' runs a script file");
        }
        if (IsImportModule(name))
        {
            var loaded = ModuleArguments(command).FirstOrDefault(a => a is not StringConstantExpressionAst s || LooksLikePath(s.Value));
            return loaded is null ? null : ("importModuleFile", $"'{name} {loaded.Extent.Text}' imports a module from a file");
        }
        return null;
    }

    private static (string Id, string Message)? DescribeUsingModule(UsingStatementAst statement)
    {
        var name = statement.Name?.Value ?? statement.ModuleSpecification?.Extent.Text ?? "";
        return LooksLikePath(name) ? ("usingModuleFile", $"'using module {name}' imports a module from a file") : null;
    }

    /// <summary>The values given to Import-Module's -Name (positional too), -FullyQualifiedName, -Assembly or -ModuleInfo.</summary>
    private static IEnumerable<Ast> ModuleArguments(CommandAst command)
    {
        var elements = command.CommandElements;
        for (var i = 1; i < elements.Count; i++)
        {
            if (elements[i] is not CommandParameterAst parameter)
            {
                yield return elements[i];
                continue;
            }
            var name = parameter.ParameterName;
            var namesModule = IsPrefixOfAny(name, "Name", "FullyQualifiedName", "Assembly", "ModuleInfo");
            if (parameter.Argument is not null)
            {
                if (namesModule) yield return parameter.Argument;
                continue;
            }
            if (IsPrefixOfAny(name, Switches) || i + 1 >= elements.Count)
            {
                continue;
            }
            i++;
            if (namesModule) yield return elements[i];
        }
    }

    private static readonly string[] Switches =
        ["Force", "Global", "PassThru", "AsCustomObject", "DisableNameChecking", "NoClobber", "SkipEditionCheck", "UseWindowsPowerShell", "Verbose", "Debug", "WhatIf", "Confirm"];

    private static bool IsPrefixOfAny(string given, params string[] parameters) =>
        given.Length > 0 && parameters.Any(p => p.StartsWith(given, StringComparison.OrdinalIgnoreCase));

    private static bool IsImportModule(string name) =>
        string.Equals(name, "Import-Module", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "ipmo", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("\\Import-Module", StringComparison.OrdinalIgnoreCase);

    private static bool NamesScriptFile(string text) =>
        text.Contains(".ps1", StringComparison.OrdinalIgnoreCase)
        || text.Contains(".psm1", StringComparison.OrdinalIgnoreCase)
        || text.Contains("PSScriptRoot", StringComparison.OrdinalIgnoreCase)
        || text.Contains("PSCommandPath", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikePath(string text) =>
        text.Contains('/') || text.Contains('\\') || text.Contains('$')
        || text.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase)
        || text.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase)
        || text.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)
        || text.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
}
