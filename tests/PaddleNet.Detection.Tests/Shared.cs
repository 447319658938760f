using System.Text.Json;

namespace PaddleNet.Detection.Tests;

/// <summary>
/// Shared test data: <c>$PADDLENET_SHARED</c>, else <c>../shared</c> beside the repository root. A missing file fails
/// the test; nothing skips.
/// </summary>
internal static class Shared
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts)
    {
        string p = System.IO.Path.GetFullPath(System.IO.Path.Combine([Root, .. parts]));
        if (!File.Exists(p) && !Directory.Exists(p)) throw new FileNotFoundException($"shared test data missing: {p} (PADDLENET_SHARED={Root})", p);
        return p;
    }

    public static string Config(string model) => Path("models", "det", model, "infer_cfg.yml");

    /// <summary>The photo cases of a detection manifest: name, image paths, and full paths of inputs and outputs.</summary>
    public static IEnumerable<RefCase> Cases(string model)
    {
        string refDir = Path("models", "det", model, "reference");
        using var doc = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(refDir, "manifest.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!c.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array) continue;
            var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => Path(refDir, p.Value.GetString()!));
            var outputs = c.GetProperty("outputs").EnumerateArray().Select(o => Path(refDir, o.GetProperty("file").GetString()!)).ToArray();
            yield return new RefCase(
                c.GetProperty("name").GetString()!,
                images.EnumerateArray().Select(i => Path("models", i.GetString()!)).ToArray(),
                inputs,
                outputs);
        }
    }

    private static string FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("PADDLENET_SHARED");
        if (!string.IsNullOrEmpty(env)) return System.IO.Path.GetFullPath(env);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "PaddleNet.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"PaddleNet.sln not found above {AppContext.BaseDirectory}");
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
    }
}

internal sealed record RefCase(string Name, string[] Images, IReadOnlyDictionary<string, string> Inputs, string[] Outputs)
{
    public override string ToString() => Name;
}
