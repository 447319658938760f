using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// The protocol tests' image (ILSVRC2012_val_00000010.jpeg, the Paddle Serving example) on ShuffleNetV2: its top-1
/// probability as real Paddle gives it (the model's reference manifest, case <c>val_00000010</c>) and that manifest's
/// tolerance. The wire tests check the protocol's bytes around the number exactly and the number against Paddle, so a
/// kernel change that moves the last bits of the engine's float (Winograd, FMA) does not read as a protocol break.
/// </summary>
internal static partial class PaddleTop1
{
    private static readonly Lazy<(double Probability, double Abs)> s_reference = new(() =>
    {
        using var doc = JsonDocument.Parse(SharedData.ReadAllBytes("models/cls/ShuffleNetV2_imagenet/reference/manifest.json"));
        var root = doc.RootElement;
        double abs = root.GetProperty("tolerance").GetProperty("abs").GetDouble();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == "val_00000010")
                return (c.GetProperty("outputs")[0].GetProperty("top1")[0][1].GetDouble(), abs);
        }
        throw new InvalidOperationException("case val_00000010 is not in the ShuffleNetV2_imagenet manifest");
    });

    /// <summary>
    /// <paramref name="text"/> with its one probability (a number in Python's float repr after <paramref name="before"/>)
    /// replaced by <c>{prob}</c>, after asserting it is within the manifest's tolerance of Paddle's.
    /// </summary>
    public static string Masked(string text, string before)
    {
        var m = Regex.Match(text, Regex.Escape(before) + "(0\\.[0-9]+)");
        Assert.True(m.Success, $"no probability after {before} in {text}");
        double p = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var (paddle, abs) = s_reference.Value;
        Assert.True(Math.Abs(p - paddle) <= abs, $"probability {p} vs Paddle's {paddle} (abs tolerance {abs})");
        // Python's repr of the float32 widened to double: the shortest string that round-trips.
        Assert.Equal(p.ToString("R", CultureInfo.InvariantCulture), m.Groups[1].Value);
        return string.Concat(text.AsSpan(0, m.Groups[1].Index), "{prob}", text.AsSpan(m.Groups[1].Index + m.Groups[1].Length));
    }
}
