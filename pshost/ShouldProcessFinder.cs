using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PsRemedy.Host;

/// <summary>
/// Whether a script declares <c>[CmdletBinding(SupportsShouldProcess)]</c>, so that <c>-WhatIf</c>
/// reaches it as a switch instead of landing in <c>$args</c> while the script runs for real.
/// </summary>
internal static class ShouldProcessFinder
{
    /// <summary>What the script declares, at the CmdletBinding attribute, the param block, or line 1.</summary>
    public static ShouldProcessReport Find(ScriptBlockAst ast)
    {
        var paramBlock = ast.ParamBlock;
        if (paramBlock is null)
        {
            return new ShouldProcessReport(false, 1, 1, "script", "the script has no param block, so it has no [CmdletBinding(SupportsShouldProcess)]");
        }
        var binding = paramBlock.Attributes.FirstOrDefault(IsCmdletBinding);
        if (binding is null)
        {
            return new ShouldProcessReport(false, paramBlock.Extent.StartLineNumber, paramBlock.Extent.StartColumnNumber, "param", "the param block has no [CmdletBinding(SupportsShouldProcess)]");
        }
        var line = binding.Extent.StartLineNumber;
        var col = binding.Extent.StartColumnNumber;
        var named = binding.NamedArguments.FirstOrDefault(a => string.Equals(a.ArgumentName, "SupportsShouldProcess", StringComparison.OrdinalIgnoreCase));
        if (named is null)
        {
            return new ShouldProcessReport(false, line, col, "cmdletBinding", "[CmdletBinding()] does not say SupportsShouldProcess");
        }
        if (named.ExpressionOmitted || IsTrue(named.Argument))
        {
            return new ShouldProcessReport(true, line, col, "cmdletBinding", "declares SupportsShouldProcess");
        }
        return new ShouldProcessReport(false, line, col, "cmdletBinding", $"[CmdletBinding()] sets SupportsShouldProcess = {named.Argument.Extent.Text}");
    }

    private static bool IsCmdletBinding(AttributeAst attribute)
    {
        var name = attribute.TypeName.FullName;
        return new[] { "CmdletBinding", "CmdletBindingAttribute", "System.Management.Automation.CmdletBinding", "System.Management.Automation.CmdletBindingAttribute" }
            .Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsTrue(ExpressionAst argument)
    {
        try
        {
            return LanguagePrimitives.IsTrue(argument.SafeGetValue());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Whether SupportsShouldProcess is declared, where the declaration is (or should be), and why.</summary>
    internal sealed record ShouldProcessReport(bool Declared, int Line, int Col, string Where, string Message);
}
