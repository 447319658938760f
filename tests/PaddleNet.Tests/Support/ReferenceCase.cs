using System.Text.Json;

namespace PaddleNet.Tests.Support;

/// <summary>One case of a reference manifest: input files by name and output files in fetch order.</summary>
internal sealed record ReferenceCase(string Name, string ReferenceDir, IReadOnlyDictionary<string, string> Inputs, IReadOnlyList<string> Outputs, double Abs, double Rel)
{
    public static IReadOnlyList<ReferenceCase> Load(string manifestPath)
    {
        using var doc = Model.ModelLoadingTests.ParseManifest(manifestPath);
        var root = doc.RootElement;
        var dir = Path.GetDirectoryName(manifestPath)!;
        double abs = Tolerances.DefaultAbs, rel = Tolerances.DefaultRel;
        if (root.TryGetProperty("tolerance", out var tol) && tol.ValueKind == JsonValueKind.Object)
        {
            if (tol.TryGetProperty("abs", out var a)) abs = a.GetDouble();
            if (tol.TryGetProperty("rel", out var r)) rel = r.GetDouble();
        }
        var cases = new List<ReferenceCase>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => Path.GetFullPath(Path.Combine(dir, p.Value.GetString()!)));
            var outputs = c.GetProperty("outputs").EnumerateArray().Select(o => Path.GetFullPath(Path.Combine(dir, o.GetProperty("file").GetString()!))).ToArray();
            cases.Add(new ReferenceCase(c.GetProperty("name").GetString()!, dir, inputs, outputs, abs, rel));
        }
        return cases;
    }
}
