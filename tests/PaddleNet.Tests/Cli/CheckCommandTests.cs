using System.Text.Json;
using PaddleNet.Kernels;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Cli;

public sealed class CheckCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static readonly Dictionary<string, SortedSet<string>> Pending = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Cli", "check-pending.txt"))
        .Where(l => l.Length > 0 && l[0] != '#')
        .ToDictionary(l => l[..l.IndexOf(':')], l => new SortedSet<string>(l[(l.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal));

    private static IEnumerable<string> SharedPrograms() =>
        new[] { "programs", Path.Combine("models", "programs") }
            .SelectMany(d => Directory.EnumerateFiles(SharedData.Path(d)))
            .Where(f => f.EndsWith(".pdmodel", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// `check` on every shared program: exit 0 with no problems, or exit 1 listing only the op types
    /// check-pending.txt names for that file (and a listed type must still be unsupported).
    /// </summary>
    [Fact]
    public void Check_EverySharedProgram_IsCleanOrRefusesOnlyPendingOps()
    {
        var files = SharedPrograms().ToArray();
        Assert.True(files.Length >= 19, $"only {files.Length} shared programs");
        var failures = new List<string>();
        foreach (var f in files)
        {
            var rel = SharedData.Relative(f).Replace('\\', '/');
            var (code, stdout, stderr) = Run("check", f, "--json");
            using var doc = JsonDocument.Parse(stdout);
            var problems = doc.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("op_type").GetString()!).ToHashSet(StringComparer.Ordinal);
            var pending = Pending.GetValueOrDefault(rel) ?? [];
            if (code != (problems.Count == 0 ? 0 : 1)) failures.Add($"{rel}: exit {code} with {problems.Count} problems ({stderr})");
            foreach (var p in problems.Where(p => !pending.Contains(p))) failures.Add($"{rel}: refuses {p}, not listed as pending");
            foreach (var p in pending.Where(p => !problems.Contains(p))) failures.Add($"{rel}: {p} is listed as pending but no longer refused; remove it from check-pending.txt");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every problem `check --json` reports on the shared programs points at an op of that type at that block and index.</summary>
    [Fact]
    public void Check_Json_ProblemsPointAtTheOps()
    {
        int seen = 0;
        foreach (var f in SharedPrograms())
        {
            var (_, stdout, _) = Run("check", f, "--json");
            using var doc = JsonDocument.Parse(stdout);
            var program = PaddleModel.Load(f).Program;
            foreach (var p in doc.RootElement.GetProperty("problems").EnumerateArray())
            {
                var op = program.Blocks[p.GetProperty("block").GetInt32()].Ops[p.GetProperty("op_index").GetInt32()];
                Assert.Equal(op.Type, p.GetProperty("op_type").GetString());
                Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("reason").GetString()));
                Assert.Contains($"'{op.Type}'", p.GetProperty("message").GetString());
                seen++;
            }
        }
        Assert.True(seen > 0 || Pending.Count == 0, "check-pending.txt lists problems but check reported none");
    }

    /// <summary>An op with no kernel inside a sub-block, and an attribute form a kernel refuses, are both listed with block, index and reason.</summary>
    [Fact]
    public void Checker_ListsMissingKernelsAndRefusedAttributes_InEveryBlock()
    {
        var p = new PaddleNet.Tests.Kernels.ControlFlow.ProgramBuilder();
        int body = p.SubBlock();
        p.Feed("x", DataType.Float32, 4).Var("c", DataType.Bool, [1]).Var("y", DataType.Float32, [4]);
        p.Op(0, "fill_constant", ["out:Out=c"], ("dtype", 0L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "fake_channel_wise_quantize_abs_max", ["in:X=x", "out:Out=y"], ("quant_axis", 3L))
            .Op(0, "conditional_block", ["in:Cond=c", "in:Input=x", "out:Out=y"], ("sub_block", new PaddleNet.Model.BlockRef(body)), ("is_scalar_condition", true))
            .Op(body, "relu", ["in:X=x", "out:Out=t"])
            .Op(body, "paddlenet_test_no_such_op", ["in:X=t", "out:Out=y"]);
        p.Fetch("y");
        var problems = PaddleNet.Runtime.ModelChecker.Check(p.Build());
        Assert.Equal(2, problems.Count);
        Assert.Equal(("fake_channel_wise_quantize_abs_max", 0, 2), (problems[0].OpType, problems[0].BlockIndex, problems[0].OpIndex));
        Assert.Contains("quant_axis", problems[0].Detail);
        Assert.Equal(("paddlenet_test_no_such_op", 1, 1), (problems[1].OpType, problems[1].BlockIndex, problems[1].OpIndex));
        Assert.Null(problems[1].Detail);
    }

    [Fact]
    public void Check_Text_OnSubBlockOps_NamesTheBlock()
    {
        var (code, stdout, _) = Run("check", SharedData.Path("programs", "ch_ppstructure_mobile_v2.0_SLANet.inference.pdmodel"));
        var problems = stdout.Split('\n').Where(l => l.StartsWith("  block", StringComparison.Ordinal)).ToArray();
        Assert.Equal(problems.Length == 0 ? 0 : 1, code);
        Assert.All(problems, l => Assert.StartsWith("  block 1 ", l)); // only ops inside the while body can be missing: control flow itself runs
        Assert.DoesNotContain(" while ", stdout);
    }

    [Fact]
    public void Check_WeightedModel_Passes()
    {
        var (code, stdout, _) = Run("check", SharedData.Path("models", "zoo", "PPLCNet_x0_25", "pir"));
        Assert.Equal(0, code);
        Assert.Contains("ok: every operator is supported", stdout);
    }

    [Fact]
    public void Ops_Json_ListsLegacyAndPirNames()
    {
        var (code, stdout, _) = Run("ops", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var byType = doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!, e => e.GetProperty("pir").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(KernelRegistry.SupportedOpTypes.Count, byType.Count);
        Assert.Contains("pd_op.conv2d", byType["conv2d"]);
        Assert.Contains("pd_op.hardswish", byType["hard_swish"]);
        Assert.True(byType.ContainsKey("while") && byType.ContainsKey("conditional_block") && byType.ContainsKey("write_to_array"));
    }

    /// <summary>README's support table is the registry's: regenerate with `scripts/paddlenet ops --markdown` when this fails.</summary>
    [Fact]
    public void Readme_SupportTable_MatchesTheRegistry()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md")).Replace("\r\n", "\n");
        const string begin = "<!-- ops-table:begin (scripts/paddlenet ops --markdown) -->\n", end = "<!-- ops-table:end -->";
        int a = readme.IndexOf(begin, StringComparison.Ordinal), b = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, "README.md has no ops-table markers");
        Assert.True(readme[(a + begin.Length)..b] == OpSupport.MarkdownTable(), "README.md's operator table is stale: replace it with the output of `scripts/paddlenet ops --markdown`");
    }
}
