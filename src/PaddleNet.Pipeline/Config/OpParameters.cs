namespace PaddleNet.Pipeline.Config;

/// <summary>
/// The keyword arguments of one pre/post-process op (<c>{OpName: {param: value}}</c>). Ops take what they know;
/// <see cref="EnsureAllUsed"/> then rejects the rest, as Python's <c>Op(**params)</c> raises on unexpected keywords.
/// </summary>
internal sealed class OpParameters
{
    private readonly ConfigMap _values;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public OpParameters(string section, string opName, object? values)
    {
        Section = section;
        OpName = opName;
        _values = values switch
        {
            null => new ConfigMap(), // "ToCHWImage:" with no params
            ConfigMap m => m,
            _ => throw new PaddleNetException($"{section} op {opName}: parameters must be a mapping, not {PyRepr.Repr(values)}"),
        };
    }

    public string Section { get; }

    public string OpName { get; }

    public string Key(string name) => $"{Section}.{OpName}.{name}";

    /// <summary>The parameter's value, or <paramref name="fallback"/> when absent.</summary>
    public object? Get(string name, object? fallback = null)
    {
        _used.Add(name);
        return _values.Get(name, fallback);
    }

    public void EnsureAllUsed()
    {
        foreach (var key in _values.Keys)
        {
            if (!_used.Contains(key)) throw new PaddleNetException($"{Section} op {OpName}: unexpected parameter '{key}'");
        }
    }
}
