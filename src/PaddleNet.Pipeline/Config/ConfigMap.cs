using System.Collections;

namespace PaddleNet.Pipeline.Config;

/// <summary>
/// A YAML mapping as PaddleClas sees it: string keys in file order (Python dicts keep insertion order). Values are
/// <see langword="null"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>,
/// <see cref="List{T}"/> of values, or a nested <see cref="ConfigMap"/>.
/// </summary>
public sealed class ConfigMap : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<string> _order = new();
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>Number of keys.</summary>
    public int Count => _order.Count;

    /// <summary>Keys in file order.</summary>
    public IEnumerable<string> Keys => _order;

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/>, if present.</summary>
    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <summary>Gets a value (throws <see cref="PaddleNetException"/> naming the key when missing) or sets it, keeping the first position.</summary>
    public object? this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v : throw new PaddleNetException($"config key '{key}' is missing");
        set
        {
            if (!_values.ContainsKey(key)) _order.Add(key);
            _values[key] = value;
        }
    }

    /// <summary>The value, or <paramref name="fallback"/> when the key is absent (Python's <c>dict.get</c>).</summary>
    public object? Get(string key, object? fallback = null) => _values.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>Removes <paramref name="key"/>; false when it was absent.</summary>
    public bool Remove(string key) => _values.Remove(key) && _order.Remove(key);

    /// <summary>Entries in file order.</summary>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var k in _order) yield return new(k, _values[k]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A deep copy (maps and lists are copied; scalars are immutable).</summary>
    public ConfigMap Clone()
    {
        var copy = new ConfigMap();
        foreach (var (k, v) in this) copy[k] = CloneValue(v);
        return copy;
    }

    internal static object? CloneValue(object? v) => v switch
    {
        ConfigMap m => m.Clone(),
        List<object?> l => l.Select(CloneValue).ToList(),
        _ => v,
    };
}
