using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PsRemedy.Host;

/// <summary>Reads the top-level <c>param()</c> block of a script: what a caller may splat into it.</summary>
internal static class ScriptParameterFinder
{
    /// <summary>The script's declared parameters, or null when the script has no param block.</summary>
    public static ScriptParameters? Find(ScriptBlockAst ast)
    {
        if (ast.ParamBlock is null)
        {
            return null;
        }
        var isAdvanced = ast.ParamBlock.Attributes.Any(a => IsAttribute(a, "CmdletBinding"))
            || ast.ParamBlock.Parameters.Any(p => p.Attributes.Any(a => IsAttribute(a, "Parameter")));
        var parameters = ast.ParamBlock.Parameters.Select(Describe).ToList();
        return new ScriptParameters(isAdvanced, parameters);
    }

    private static ScriptParameter Describe(ParameterAst parameter)
    {
        var constraint = parameter.Attributes.OfType<TypeConstraintAst>().LastOrDefault();
        var type = constraint is null ? "System.Object" : parameter.StaticType.FullName ?? constraint.TypeName.FullName;
        var mandatory = parameter.Attributes.OfType<AttributeAst>()
            .Where(a => IsAttribute(a, "Parameter"))
            .Any(a => a.NamedArguments.Any(n => string.Equals(n.ArgumentName, "Mandatory", StringComparison.OrdinalIgnoreCase) && IsTrue(n)));
        // [ValidateSet(0, 1)] holds numbers, [ValidateSet('On', 'Off')] strings; a set built from
        // anything but constants cannot be known before the script runs, so it is not reported.
        var validateSet = parameter.Attributes.OfType<AttributeAst>()
            .Where(a => IsAttribute(a, "ValidateSet"))
            .Select(a => a.PositionalArguments.All(p => p is ConstantExpressionAst)
                ? a.PositionalArguments.OfType<ConstantExpressionAst>()
                    .Select(c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")
                    .ToList()
                : null)
            .FirstOrDefault();
        var aliases = parameter.Attributes.OfType<AttributeAst>()
            .Where(a => IsAttribute(a, "Alias"))
            .SelectMany(a => a.PositionalArguments.OfType<StringConstantExpressionAst>().Select(s => s.Value))
            .ToList();
        return new ScriptParameter(parameter.Name.VariablePath.UserPath, aliases, type, mandatory, parameter.DefaultValue is not null, validateSet);
    }

    // [Parameter(Mandatory)] has no argument; [Parameter(Mandatory = $true)] has one.
    private static bool IsTrue(NamedAttributeArgumentAst argument) =>
        argument.ExpressionOmitted
        || (argument.Argument is VariableExpressionAst v && string.Equals(v.VariablePath.UserPath, "true", StringComparison.OrdinalIgnoreCase));

    private static bool IsAttribute(AttributeBaseAst attribute, string name)
    {
        var full = attribute.TypeName.FullName;
        return string.Equals(full, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(full, name + "Attribute", StringComparison.OrdinalIgnoreCase)
            || full.EndsWith("." + name, StringComparison.OrdinalIgnoreCase)
            || full.EndsWith("." + name + "Attribute", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A script's param block: whether it is an advanced script (unknown names fail to bind), and its parameters.</summary>
    internal sealed record ScriptParameters(bool IsAdvanced, List<ScriptParameter> Parameters);

    /// <summary>One parameter: its name and aliases, the .NET type it is declared as, and what binding requires of it.</summary>
    internal sealed record ScriptParameter(string Name, List<string> Aliases, string Type, bool Mandatory, bool HasDefault, List<string>? ValidateSet);
}
