using System.Text.RegularExpressions;
using PaddleNet.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Tests.Parity;

/// <summary>
/// Every program in shared/programs and shared/models/programs runs end to end on synthetic weights: inputs of the
/// declared shapes (dynamic dimensions from the .inference.yml / .infer_cfg.yml beside the file, else the defaults
/// below), outputs of the declared ranks and fixed dimensions, floating outputs finite. A program that cannot run yet
/// is listed in README.md's "programs that cannot run yet" table with its reason; the test holds the table to the
/// truth both ways: a listed program must still fail for the reason given, an unlisted one must run.
/// </summary>
public sealed partial class SyntheticProgramsTests
{
    /// <summary>Documented defaults (README): batch 1; other dynamic dimensions 256 for float inputs, 16 for integer ones.</summary>
    private const int DefaultFloatDim = 256, DefaultIntDim = 16;

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (var f in ProgramFiles()) data.Add(f);
        return data;
    }

    private static List<string> ProgramFiles() =>
        new[] { "programs", System.IO.Path.Combine("models", "programs") }
            .SelectMany(dir => Directory.EnumerateFiles(SharedData.Path(dir)).Where(IsProgram).Order(StringComparer.Ordinal).Select(SharedData.Relative))
            .ToList();

    private static bool IsProgram(string f) => f.EndsWith(".pdmodel", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal);

    /// <summary>README rows between the markers: | `file` | reason |; the reason's first `code` span must occur in the failure message.</summary>
    internal static Dictionary<string, string> NotRunning()
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(SharedData.RepoRoot, "README.md"));
        int begin = Array.IndexOf(lines, "<!-- programs-not-running:begin -->"), end = Array.IndexOf(lines, "<!-- programs-not-running:end -->");
        Assert.True(begin >= 0 && end > begin, "README.md lacks the programs-not-running table markers");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines[(begin + 1)..end])
        {
            var m = Row().Match(line);
            if (m.Success) result.Add(m.Groups[1].Value, m.Groups[2].Value.Trim());
        }
        return result;
    }

    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [Fact]
    public void NotRunningTable_ListsOnlySharedPrograms_WithAReason()
    {
        var programs = ProgramFiles().ToHashSet(StringComparer.Ordinal);
        foreach (var (file, reason) in NotRunning())
        {
            Assert.Contains(file, programs);
            Assert.True(Code().IsMatch(reason), $"{file}: the reason must name what fails in `code` (an op type or a message fragment)");
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_RunsEndToEnd_OnSyntheticWeights(string relative)
    {
        var path = SharedData.Path(relative);
        NotRunning().TryGetValue(relative, out var reason);
        Tensor[] feeds;
        IReadOnlyList<Tensor> outputs;
        InferenceSession? session = null;
        try
        {
            var model = PaddleModel.Load(path);
            session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 2, SyntheticWeights = new SyntheticWeightOptions { Seed = 1 } });
            feeds = Feeds(session, path);
            outputs = session.Run(session.Inputs.Select((info, i) => (info.Name, feeds[i])).ToDictionary(p => p.Name, p => p.Item2));
        }
        catch (PaddleNetException e) when (reason is not null)
        {
            var expected = Code().Match(reason).Groups[1].Value;
            Assert.True(e.Message.Contains(expected, StringComparison.Ordinal) || (e is UnsupportedOperatorException u && u.OpType == expected),
                $"{relative} is listed as failing because of `{expected}`, but it failed with: {e.Message}");
            return;
        }
        finally
        {
            session?.Dispose();
        }
        Assert.True(reason is null, $"{relative} now runs on synthetic weights: remove its line from README.md's programs-not-running table");
        Assert.Equal(session!.Outputs.Count, outputs.Count);
        for (int k = 0; k < outputs.Count; k++)
        {
            var declared = session.Outputs[k].Shape;
            var actual = outputs[k].Shape.ToArray();
            var what = $"{relative} output {k} ({session.Outputs[k].Name}): shape [{string.Join(", ", actual)}] vs declared [{string.Join(", ", declared)}]";
            // Paddle declares some outputs with a rank its kernels do not keep (NMS box counts as [] or [-1]); a declared
            // rank ≥ 1 must hold, and every fixed declared dimension must too.
            if (declared.Count > 0)
            {
                Assert.True(actual.Length == declared.Count, what);
                for (int d = 0; d < declared.Count; d++) Assert.True(declared[d] < 0 || declared[d] == actual[d], what);
            }
            AssertFinite(outputs[k], $"{relative} output {k}");
        }
    }

    private static void AssertFinite(Tensor t, string what)
    {
        switch (t.DataType)
        {
            case DataType.Float32:
                var s = t.AsSpan<float>();
                for (int i = 0; i < s.Length; i++) Assert.True(float.IsFinite(s[i]), $"{what}: element {i} is {s[i]}");
                break;
            case DataType.Float64:
                var dd = t.AsSpan<double>();
                for (int i = 0; i < dd.Length; i++) Assert.True(double.IsFinite(dd[i]), $"{what}: element {i} is {dd[i]}");
                break;
        }
    }

    /// <summary>Inputs in feed order: shapes as documented above, values uniform in [−1, 1] (floats) or [1, 16] (integers); im_shape/im_info/scale_factor describe the image input.</summary>
    internal static Tensor[] Feeds(InferenceSession session, string programPath)
    {
        var fromYaml = DynamicShapes(programPath);
        var shapes = new int[session.Inputs.Count][];
        for (int i = 0; i < shapes.Length; i++)
        {
            var info = session.Inputs[i];
            bool isFloat = info.DataType is DataType.Float32 or DataType.Float64 or DataType.Float16;
            fromYaml.TryGetValue(info.Name, out var y);
            if (y is null && info.Shape.Count == 4 && fromYaml.TryGetValue("*image", out var hw)) y = [-1, -1, hw[0], hw[1]];
            shapes[i] = info.Shape.Select((d, k) => d >= 0 ? (int)d : k == 0 ? 1 : y is not null && k < y.Length && y[k] > 0 ? y[k] : isFloat ? DefaultFloatDim : DefaultIntDim).ToArray();
        }
        var image = shapes.FirstOrDefault(s => s.Length == 4);
        var rng = new Random(11);
        var feeds = new Tensor[shapes.Length];
        for (int i = 0; i < feeds.Length; i++)
        {
            var info = session.Inputs[i];
            var t = new Tensor(info.DataType, shapes[i]);
            switch (info.DataType)
            {
                case DataType.Float32:
                    var f = t.AsSpan<float>();
                    if (info.Name is "im_shape" or "im_info" && image is not null && f.Length > 0)
                    {
                        int per = shapes[i][^1];
                        for (int b = 0; b < f.Length / per; b++)
                        {
                            f[b * per] = image[2];
                            if (per > 1) f[b * per + 1] = image[3];
                            for (int j = 2; j < per; j++) f[b * per + j] = 1f;
                        }
                    }
                    else if (info.Name == "scale_factor")
                    {
                        f.Fill(1f);
                    }
                    else
                    {
                        foreach (ref var v in f) v = (float)(rng.NextDouble() * 2 - 1);
                    }
                    break;
                case DataType.Int32:
                    foreach (ref var v in t.AsSpan<int>()) v = rng.Next(1, DefaultIntDim + 1);
                    break;
                case DataType.Int64:
                    foreach (ref var v in t.AsSpan<long>()) v = rng.Next(1, DefaultIntDim + 1);
                    break;
            }
            feeds[i] = t;
        }
        return feeds;
    }

    /// <summary>
    /// Dynamic shapes from the yml beside the program (same stem): an .inference.yml's
    /// Hpi.backend_configs.paddle_infer.trt_dynamic_shapes (the middle, "optimal" entry per input), or an
    /// .infer_cfg.yml's Resize target_size (as "*image": H, W of the image input).
    /// </summary>
    private static Dictionary<string, int[]> DynamicShapes(string programPath)
    {
        var result = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var dir = System.IO.Path.GetDirectoryName(programPath)!;
        var stem = System.IO.Path.GetFileNameWithoutExtension(programPath);
        foreach (var suffix in new[] { ".inference", ".model" })
        {
            if (stem.EndsWith(suffix, StringComparison.Ordinal)) stem = stem[..^suffix.Length];
        }
        var inference = System.IO.Path.Combine(dir, stem + ".inference.yml");
        if (File.Exists(inference) && Load(inference) is YamlMappingNode root
            && Child(Child(Child(Child(root, "Hpi"), "backend_configs"), "paddle_infer"), "trt_dynamic_shapes") is YamlMappingNode trt)
        {
            foreach (var (key, value) in trt.Children)
            {
                if (value is YamlSequenceNode { Children.Count: > 0 } seq)
                {
                    var opt = (YamlSequenceNode)seq.Children[seq.Children.Count / 2];
                    result[((YamlScalarNode)key).Value!] = opt.Children.Select(n => int.Parse(((YamlScalarNode)n).Value!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                }
            }
        }
        var cfg = System.IO.Path.Combine(dir, stem + ".infer_cfg.yml");
        if (File.Exists(cfg) && Load(cfg) is YamlMappingNode c && Child(c, "Preprocess") is YamlSequenceNode pre)
        {
            foreach (var step in pre.Children.OfType<YamlMappingNode>())
            {
                if (Child(step, "type") is YamlScalarNode { Value: "Resize" } && Child(step, "target_size") is YamlSequenceNode { Children.Count: 2 } ts)
                {
                    result["*image"] = ts.Children.Select(n => int.Parse(((YamlScalarNode)n).Value!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                }
            }
        }
        return result;
    }

    private static YamlNode? Load(string file) => PaddleNet.Yaml.YamlConfig.TryLoadMapping(file);

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
}
