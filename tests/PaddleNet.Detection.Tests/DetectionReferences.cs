using System.Text.Json;

namespace PaddleNet.Detection.Tests;

/// <summary>The detection exports and their reference cases in the shared data (located by <see cref="SharedData"/>).</summary>
internal static class DetectionReferences
{
    public static string Config(string model) => SharedData.Path("models", "det", model, "infer_cfg.yml");

    /// <summary>The photo cases of a detection manifest: name, image paths, and full paths of inputs and outputs.</summary>
    public static IEnumerable<RefCase> Cases(string model)
    {
        string refDir = SharedData.Path("models", "det", model, "reference");
        using var doc = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(refDir, "manifest.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!c.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array) continue;
            var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => SharedData.Path(refDir, p.Value.GetString()!));
            var outputs = c.GetProperty("outputs").EnumerateArray().Select(o => SharedData.Path(refDir, o.GetProperty("file").GetString()!)).ToArray();
            yield return new RefCase(
                c.GetProperty("name").GetString()!,
                images.EnumerateArray().Select(i => SharedData.Path("models", i.GetString()!)).ToArray(),
                inputs,
                outputs);
        }
    }
}

internal sealed record RefCase(string Name, string[] Images, IReadOnlyDictionary<string, string> Inputs, string[] Outputs)
{
    public override string ToString() => Name;
}
