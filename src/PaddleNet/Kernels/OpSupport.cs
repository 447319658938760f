using PaddleNet.Model.Pir;

namespace PaddleNet.Kernels;

/// <summary>The supported-operator table (legacy type → PIR spellings that load as it), for <c>paddlenet ops</c> and the README.</summary>
public static class OpSupport
{
    /// <summary>Each supported legacy operator type with the PIR (<c>pd_op.*</c>) names that load as it, sorted by type.</summary>
    public static IReadOnlyList<(string Type, IReadOnlyList<string> Pir)> Table()
    {
        var pirByLegacy = PirOpTable.Specs.Select(kv => (Pir: kv.Key, kv.Value.Legacy)).Concat(PirOpTable.Lowered)
            .GroupBy(p => p.Legacy, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => "pd_op." + p.Pir).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return KernelRegistry.SupportedOpTypes
            .Select(t => (t, (IReadOnlyList<string>)(pirByLegacy.TryGetValue(t, out var p) ? p : [])))
            .ToArray();
    }

    /// <summary>The README's support table (markdown), regenerated from the registry; a test keeps README.md equal to it.</summary>
    public static string MarkdownTable()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("| op type | PIR (`pd_op.*`) |\n|---|---|\n");
        foreach (var (type, pir) in Table())
        {
            sb.Append($"| `{type}` | {string.Join(", ", pir.Select(p => $"`{p[6..]}`"))} |\n");
        }
        return sb.ToString();
    }
}
