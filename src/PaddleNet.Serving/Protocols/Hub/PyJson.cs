using System.Globalization;
using System.Text;
using PaddleNet.Pipeline.Config;

namespace PaddleNet.Serving.Protocols.Hub;

/// <summary>
/// Flask 3's <c>jsonify</c>: Python <c>json.dumps</c> with sorted keys at every level, separators <c>,</c>/<c>:</c>,
/// <c>ensure_ascii</c> (non-ASCII as <c>\uXXXX</c>), floats as <c>repr</c>, and a trailing newline. Values are
/// dictionaries with string keys, lists, strings, bools, integers, doubles and null.
/// </summary>
internal static class PyJson
{
    public static string Dumps(object? value) => Write(new StringBuilder(), value).Append('\n').ToString();

    private static StringBuilder Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: String(sb, s); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Float(d)); break;
            case float f: sb.Append(Float(f)); break;
            case IReadOnlyDictionary<string, object?> map:
                sb.Append('{');
                bool first = true;
                foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    String(sb, key);
                    sb.Append(':');
                    Write(sb, map[key]);
                }
                sb.Append('}');
                break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                bool firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) sb.Append(',');
                    firstItem = false;
                    Write(sb, item);
                }
                sb.Append(']');
                break;
            default: throw new ArgumentException($"cannot write {value.GetType()} as JSON");
        }
        return sb;
    }

    private static string Float(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyRepr.Float(d);

    private static void String(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e && c != 0x7f) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
