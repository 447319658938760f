using PaddleNet.Kernels;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels;

public sealed class KernelRegistryTests
{
    private static readonly HashSet<string> NotKernels = ["feed", "fetch"];

    /// <summary>
    /// Ops of shared/programs that other parts of issue 13 bring (control flow and quantization;
    /// the Paddle 1.x resizes): tolerated in programs/ only until those land. Everything else in programs/ must run.
    /// </summary>
    private static readonly HashSet<string> PendingInPrograms =
    [
        "while", "conditional_block", "select_input", "select_output",
        "fake_quantize_moving_average_abs_max", "fake_quantize_dequantize_moving_average_abs_max", "fake_dequantize_max_abs",
        "nearest_interp", "bilinear_interp",
    ];

    /// <summary>Every operator that any shared Paddle program uses (models, zoo, bench, programs, ops, and the real exports in programs/) has a kernel.</summary>
    [Fact]
    public void EveryOperatorInSharedPrograms_IsRegistered()
    {
        var files = new List<string>();
        foreach (var root in new[] { "models", "bench", "ops", "programs" })
        {
            files.AddRange(Directory.EnumerateFiles(SharedData.Path(root), "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/lite/") && !f.Contains("/reference/") && (f.EndsWith(".pdmodel") || f.EndsWith("__model__") || (f.EndsWith(".json") && File.ReadAllText(f).Contains("\"base_code\"")))));
        }
        Assert.True(files.Count > 500, $"only {files.Count} programs found");
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            foreach (var op in PaddleModel.Load(f).OperatorCounts.Keys)
            {
                if (NotKernels.Contains(op) || KernelRegistry.TryGet(op, out _)) continue;
                if (SharedData.Relative(f).StartsWith("programs/", StringComparison.Ordinal) && PendingInPrograms.Contains(op)) continue;
                missing.Add($"{op} ({SharedData.Relative(f)})");
            }
        }
        Assert.True(missing.Count == 0, "no kernel for: " + string.Join(", ", missing));
    }

    /// <summary>Every op type of the conformance suite has a kernel.</summary>
    [Fact]
    public void Registry_HasEveryConformanceOpType()
    {
        var opTypes = Directory.EnumerateDirectories(SharedData.Path("ops")).Select(Path.GetFileName).ToArray();
        Assert.Equal(114, opTypes.Length);
        Assert.All(opTypes, t => Assert.True(KernelRegistry.TryGet(t!, out _), $"{t} has conformance cases but no kernel"));
    }
}
