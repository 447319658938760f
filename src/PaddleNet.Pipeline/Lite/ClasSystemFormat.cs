using System.Globalization;

namespace PaddleNet.Pipeline.Lite;

/// <summary>How the C++ demo prints numbers: <c>std::ostream &lt;&lt; double</c> (printf <c>%g</c>, 6 significant
/// digits) and <c>std::to_string(float)</c> (printf <c>%f</c>).</summary>
public static class ClasSystemFormat
{
    /// <summary>printf("%g"): 6 significant digits, fixed when −4 ≤ exponent &lt; 6, trailing zeros removed.</summary>
    public static string G6(double value)
    {
        if (double.IsNaN(value)) return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // The exponent after rounding to 6 significant digits decides the style (C99 7.21.6.1).
        var e = value.ToString("E5", CultureInfo.InvariantCulture);
        int x = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string s;
        if (x >= -4 && x < 6)
        {
            s = value.ToString("F" + (5 - x).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Contains('.', StringComparison.Ordinal)) s = s.TrimEnd('0').TrimEnd('.');
            return s;
        }
        var mantissa = e[..e.IndexOf('E')];
        if (mantissa.Contains('.', StringComparison.Ordinal)) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        return $"{mantissa}e{(x < 0 ? '-' : '+')}{Math.Abs(x):00}";
    }

    /// <summary>std::to_string(float): printf("%f") of the value widened to double.</summary>
    public static string F6(float value) => ((double)value).ToString("F6", CultureInfo.InvariantCulture);
}
