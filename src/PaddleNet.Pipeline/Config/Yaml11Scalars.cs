using System.Globalization;
using System.Text.RegularExpressions;

namespace PaddleNet.Pipeline.Config;

/// <summary>
/// PyYAML's <c>SafeLoader</c> resolution of plain (unquoted) scalars, i.e. YAML 1.1: <c>yes/no/on/off</c> and
/// <c>True/False</c> are booleans, <c>~</c>/<c>null</c>/empty is None, <c>010</c> is octal 8, and a float needs a
/// dot (<c>1e-5</c> stays a string; <c>1.0e-5</c> needs the exponent sign). Sexagesimal numbers (<c>1:30</c>) are
/// left as strings.
/// </summary>
internal static partial class Yaml11Scalars
{
    [GeneratedRegex("^(?:~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    /// <summary>The Python value PyYAML gives a plain scalar.</summary>
    public static object? Resolve(string text)
    {
        if (NullPattern().IsMatch(text)) return null;
        if (TruePattern().IsMatch(text)) return true;
        if (FalsePattern().IsMatch(text)) return false;
        if (IntPattern().IsMatch(text) && TryInt(text, out long l)) return l;
        if (FloatPattern().IsMatch(text)) return ParseFloat(text);
        return text;
    }

    private static bool TryInt(string text, out long value)
    {
        value = 0;
        string t = text.Replace("_", "", StringComparison.Ordinal);
        int sign = 1;
        if (t[0] is '-' or '+') { sign = t[0] == '-' ? -1 : 1; t = t[1..]; }
        if (t.Length == 0) return false;
        try
        {
            if (t == "0") value = 0;
            else if (t.StartsWith("0b", StringComparison.Ordinal)) value = Convert.ToInt64(t[2..], 2);
            else if (t.StartsWith("0x", StringComparison.Ordinal)) value = long.Parse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            else if (t[0] == '0') value = Convert.ToInt64(t[1..], 8);
            else value = long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
        value *= sign;
        return true;
    }

    private static double ParseFloat(string text)
    {
        string t = text.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        double sign = 1;
        if (t[0] is '-' or '+') { sign = t[0] == '-' ? -1 : 1; t = t[1..]; }
        if (t == ".inf") return sign * double.PositiveInfinity;
        if (t == ".nan") return double.NaN;
        return sign * double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
