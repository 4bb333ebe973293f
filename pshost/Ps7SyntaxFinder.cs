using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace PsRemedy.Host;

/// <summary>Finds syntax that PowerShell 7 accepts and Windows PowerShell 5.1 rejects.</summary>
internal static class Ps7SyntaxFinder
{
    /// <summary>Every PowerShell-7-only construct in <paramref name="ast"/>, in source order.</summary>
    public static List<ParseService.Finding> Find(Ast ast)
    {
        var found = new List<ParseService.Finding>();
        foreach (var node in ast.FindAll(_ => true, searchNestedScriptBlocks: true))
        {
            var what = Describe(node);
            if (what is not null)
            {
                found.Add(new ParseService.Finding(node.Extent.StartLineNumber, node.Extent.StartColumnNumber, what.Value.Id, what.Value.Message));
            }
        }
        return found.OrderBy(f => f.Line).ThenBy(f => f.Col).ToList();
    }

    private static (string Id, string Message)? Describe(Ast node) => node switch
    {
        TernaryExpressionAst => ("ternary", "the ternary operator '? :' needs PowerShell 7; use if/else"),
        BinaryExpressionAst { Operator: TokenKind.QuestionQuestion } => ("nullCoalescing", "'??' needs PowerShell 7; use if ($null -eq ...)"),
        AssignmentStatementAst { Operator: TokenKind.QuestionQuestionEquals } => ("nullCoalescingAssignment", "'??=' needs PowerShell 7; use if ($null -eq ...)"),
        PipelineChainAst => ("pipelineChain", "'&&' and '||' need PowerShell 7; use if ($?) or try/catch"),
        MemberExpressionAst { NullConditional: true } => ("nullConditional", "'?.' needs PowerShell 7; test for $null first"),
        IndexExpressionAst { NullConditional: true } => ("nullConditional", "'?[]' needs PowerShell 7; test for $null first"),
        NamedBlockAst { BlockKind: TokenKind.Clean } => ("cleanBlock", "a 'clean {}' block needs PowerShell 7.3; use try/finally"),
        CommandAst command => DescribeCommand(command),
        _ => null,
    };

    private static (string Id, string Message)? DescribeCommand(CommandAst command)
    {
        var name = command.GetCommandName();
        if (name is null)
        {
            return null;
        }
        var parameters = command.CommandElements.OfType<CommandParameterAst>().Select(p => p.ParameterName).ToList();
        if (IsForEachObject(name) && parameters.Any(p => IsPrefixOf(p, "Parallel", 2)))
        {
            return ("foreachParallel", "'ForEach-Object -Parallel' needs PowerShell 7; use a foreach loop or jobs");
        }
        if (IsCommand(name, "ConvertFrom-Json") && parameters.Any(p => IsPrefixOf(p, "AsHashtable", 3)))
        {
            return ("asHashtable", "'ConvertFrom-Json -AsHashtable' needs PowerShell 6; copy PSObject.Properties into a hashtable");
        }
        return null;
    }

    private static bool IsForEachObject(string name) =>
        IsCommand(name, "ForEach-Object") || name == "%" || string.Equals(name, "foreach", StringComparison.OrdinalIgnoreCase);

    private static bool IsCommand(string name, string command) =>
        string.Equals(name, command, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("\\" + command, StringComparison.OrdinalIgnoreCase);

    /// <summary>PowerShell accepts any unambiguous prefix of a parameter name.</summary>
    private static bool IsPrefixOf(string given, string parameter, int minimum) =>
        given.Length >= minimum && parameter.StartsWith(given, StringComparison.OrdinalIgnoreCase);
}
