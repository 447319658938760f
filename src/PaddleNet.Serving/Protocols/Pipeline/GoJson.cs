using System.Globalization;
using System.Text;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// Scalars written as Go's encoding/json writes them inside grpc-gateway v1's JSONPb marshaller: strings with
/// <c>&lt; &gt; &amp;</c> and U+2028/2029 escaped as <c>\u00XX</c>, other non-ASCII raw; floats as the shortest
/// round-trip digits at their own width (float32 stays float32), fixed notation for 1e-6 ≤ |x| &lt; 1e21,
/// else <c>1e-7</c>/<c>1e+21</c>; NaN and infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
internal static class GoJson
{
    private const string Hex = "0123456789abcdef";

    public static void String(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20) sb.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c)) sb.Append("\\ufffd"); // invalid UTF-8 in Go
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    public static string Float32(float f) =>
        float.IsNaN(f) ? "\"NaN\"" : float.IsInfinity(f) ? (f > 0 ? "\"Infinity\"" : "\"-Infinity\"")
        : Layout(f.ToString("R", CultureInfo.InvariantCulture), Math.Abs(f) != 0 && (Math.Abs(f) < 1e-6f || Math.Abs(f) >= 1e21f));

    public static string Float64(double d) =>
        double.IsNaN(d) ? "\"NaN\"" : double.IsInfinity(d) ? (d > 0 ? "\"Infinity\"" : "\"-Infinity\"")
        : Layout(d.ToString("R", CultureInfo.InvariantCulture), Math.Abs(d) != 0 && (Math.Abs(d) < 1e-6 || Math.Abs(d) >= 1e21));

    // .NET "R" → Go's AppendFloat(x, 'f' or 'e', -1) with encoding/json's "e-07" → "e-7" clean-up.
    private static string Layout(string r, bool exponential)
    {
        bool negative = r.StartsWith('-');
        if (negative) r = r[1..];
        int e = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            e = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int dot = r.IndexOf('.');
        string intPart = dot >= 0 ? r[..dot] : r;
        string all = intPart + (dot >= 0 ? r[(dot + 1)..] : "");
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        string digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) return negative ? "-0" : "0";
        int exponent = intPart.Length - 1 - lead + e; // decimal exponent of the first digit
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (exponential)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            int abs = Math.Abs(exponent);
            sb.Append(abs < 10 && exponent >= 0 ? "0" + abs : abs.ToString(CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            sb.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (digits.Length <= exponent + 1)
        {
            sb.Append(digits).Append('0', exponent + 1 - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        return sb.ToString();
    }
}
