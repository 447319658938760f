namespace PaddleNet.Model;

/// <summary>A reference to a sub-block (BLOCK attributes of control-flow ops).</summary>
internal readonly record struct BlockRef(int Index);

/// <summary>An attribute bound to a variable (Paddle ≥ 2.4 VAR/VARS attributes).</summary>
internal readonly record struct VarRef(string Name);

/// <summary>An attribute of the wrong type or out of range; the plan builder rethrows it as a
/// <see cref="ModelFormatException"/> naming the operator, its index and the attribute.</summary>
internal sealed class AttributeException(string attribute, string message) : PaddleNetException(message)
{
    public string Attribute { get; } = attribute;
}

/// <summary>
/// Operator attributes by name. Values are stored width-agnostically: every integer as
/// <see cref="long"/>, every float as <see cref="double"/> (exact for float32), lists as
/// long[]/double[]/bool[]/string[]. Getters coerce, because Paddle versions disagree on widths
/// (INT vs LONG, FLOAT vs FLOAT64; formats.md §1.2 and §3.7).
/// </summary>
internal sealed class AttributeMap
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public IEnumerable<KeyValuePair<string, object>> All => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public object? Raw(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public void Set(string name, object value) => _values[name] = value;

    public void Remove(string name) => _values.Remove(name);

    public long GetLong(string name, long fallback) => _values.TryGetValue(name, out var v) ? ToLong(name, v) : fallback;

    public int GetInt(string name, int fallback) => Narrow(name, GetLong(name, fallback), -1);

    public double GetDouble(string name, double fallback) => _values.TryGetValue(name, out var v) ? ToDouble(name, v) : fallback;

    public float GetFloat(string name, float fallback) => (float)GetDouble(name, fallback);

    public bool GetBool(string name, bool fallback) => _values.TryGetValue(name, out var v)
        ? v switch
        {
            bool b => b,
            long l => l != 0,
            double d => d != 0,
            _ => throw Bad(name, v, "a boolean"),
        }
        : fallback;

    public string GetString(string name, string fallback) => _values.TryGetValue(name, out var v)
        ? v as string ?? throw Bad(name, v, "a string")
        : fallback;

    public long[] GetLongs(string name) => _values.TryGetValue(name, out var v)
        ? v switch
        {
            long[] a => a,
            double[] a => Array.ConvertAll(a, x => WholeNumber(name, x)),
            bool[] a => Array.ConvertAll(a, x => x ? 1L : 0L),
            long l => [l],
            double d => [WholeNumber(name, d)],
            _ => throw Bad(name, v, "a list of integers"),
        }
        : [];

    public int[] GetInts(string name)
    {
        long[] values = GetLongs(name);
        var ints = new int[values.Length];
        for (int i = 0; i < values.Length; i++) ints[i] = Narrow(name, values[i], i);
        return ints;
    }

    // Where a 64-bit value becomes an int: hostile files carry 2^31 and beyond (the kernels index with int).
    private static int Narrow(string name, long value, int index) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value
        : throw new AttributeException(name, $"attribute '{name}'{(index < 0 ? "" : $"[{index}]")} = {value} does not fit a 32-bit integer");

    private static long WholeNumber(string name, double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? (long)d
        : throw new AttributeException(name, $"attribute '{name}' = {d.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not an integer in range");

    public double[] GetDoubles(string name) => _values.TryGetValue(name, out var v)
        ? v switch
        {
            double[] a => a,
            long[] a => Array.ConvertAll(a, x => (double)x),
            double d => [d],
            long l => [l],
            _ => throw Bad(name, v, "a list of numbers"),
        }
        : [];

    public float[] GetFloats(string name) => Array.ConvertAll(GetDoubles(name), x => (float)x);

    public string[] GetStrings(string name) => _values.TryGetValue(name, out var v)
        ? v switch
        {
            string[] a => a,
            string s => [s],
            _ => throw Bad(name, v, "a list of strings"),
        }
        : [];

    public bool[] GetBools(string name) => _values.TryGetValue(name, out var v)
        ? v switch
        {
            bool[] a => a,
            long[] a => Array.ConvertAll(a, x => x != 0),
            bool b => [b],
            _ => throw Bad(name, v, "a list of booleans"),
        }
        : [];

    private static long ToLong(string name, object v) => v switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        bool b => b ? 1 : 0,
        long[] { Length: 1 } a => a[0],
        _ => throw Bad(name, v, "an integer"),
    };

    private static double ToDouble(string name, object v) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        double[] { Length: 1 } a => a[0],
        _ => throw Bad(name, v, "a number"),
    };

    private static AttributeException Bad(string name, object v, string expected) =>
        new(name, $"attribute '{name}' should be {expected}, found {Describe(v)}");

    internal static string Describe(object v) => v switch
    {
        string s => $"\"{s}\"",
        long[] a => $"[{string.Join(", ", a)}]",
        double[] a => $"[{string.Join(", ", a)}]",
        bool[] a => $"[{string.Join(", ", a)}]",
        string[] a => $"[{string.Join(", ", a.Select(x => $"\"{x}\""))}]",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
