namespace PaddleNet.Pipeline.Config;

/// <summary>Typed reads of config values with errors that name the key.</summary>
internal static class ConfigValues
{
    public static int Int(object? value, string key, int min = int.MinValue)
    {
        if (value is long l && l >= min && l <= int.MaxValue) return (int)l;
        if (value is bool) throw new PaddleNetException($"{key} must be an int, not {PyRepr.Repr(value)}");
        throw new PaddleNetException($"{key} must be an int{(min > int.MinValue ? $" >= {min}" : "")}, not {PyRepr.Repr(value)}");
    }

    public static double Number(object? value, string key) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new PaddleNetException($"{key} must be a number, not {PyRepr.Repr(value)}"),
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        ConfigMap m => m.Count > 0,
        _ => true,
    };

    public static IReadOnlyList<double> Numbers(object? value, string key) => value switch
    {
        List<object?> list => list.Select((v, i) => Number(v, $"{key}[{i}]")).ToArray(),
        _ => throw new PaddleNetException($"{key} must be a list of numbers, not {PyRepr.Repr(value)}"),
    };
}
