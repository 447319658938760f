using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

/// <summary>
/// Targeted mutation of the numbers a hostile file carries where the reader narrows or sizes things: PIR attribute
/// values (a_i32, a_i64, a_f32/a_f64, int arrays) and dense-tensor dims, and the int64 dims of <c>.nb</c> variable and
/// parameter descriptions. Every mutant loads and builds a session, or fails with a <see cref="PaddleNetException"/>
/// (out-of-range values as <see cref="ModelFormatException"/> naming op, index and attribute) — never an
/// <see cref="OverflowException"/> or any other untyped exception, never a hang.
/// </summary>
public sealed partial class AttributeFuzzTests
{
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(20);

    // Values around every width a reader narrows to, and the extremes.
    private static readonly string[] Interesting =
    [
        "2147483648", "-2147483649", "4294967296", "4294967295", "9223372036854775807", "-9223372036854775808",
        "-1", "-2", "0", "65536", "1e300", "-1e300", "2.5", "1099511627776", "18446744073709551616",
    ];

    [GeneratedRegex("\"#\":\"[01]\\.a_(?:i32|i64|f32|f64)\",\"D\":(-?[0-9][0-9.eE+-]*)")]
    private static partial Regex ScalarAttribute();

    [GeneratedRegex("\"0\\.t_[a-z0-9]+\"\\},\\[(-?[0-9]+)")]
    private static partial Regex FirstDim();

    [Fact]
    public void PirAttributeOf2Pow31_IsModelFormatExceptionNamingOpIndexAndAttribute()
    {
        string dir = SharedData.Path("ops", "conv2d", "k3_s1_p1", "pir");
        string json = File.ReadAllText(Path.Combine(dir, "model.json"));
        string groups = "{\"AT\":{\"#\":\"0.a_i32\",\"D\":1},\"N\":\"groups\"}";
        Assert.Contains(groups, json, StringComparison.Ordinal);
        byte[] hostile = Encoding.UTF8.GetBytes(json.Replace(groups, groups.Replace("\"D\":1", "\"D\":2147483648", StringComparison.Ordinal), StringComparison.Ordinal));
        byte[] pars = File.ReadAllBytes(Path.Combine(dir, "model.pdiparams"));

        var e = Assert.Throws<ModelFormatException>(() =>
        {
            using var session = new InferenceSession(PaddleModel.Load(hostile, pars.AsMemory()));
        });

        Assert.Equal("groups", e.Field);
        Assert.Contains("operator 'conv2d'", e.Message, StringComparison.Ordinal);
        Assert.Contains("op #", e.Message, StringComparison.Ordinal);
        Assert.Contains("2147483648 does not fit a 32-bit integer", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?> PirSeeds => new()
    {
        { "ops/conv2d/k3_s1_p1/pir/model.json", "ops/conv2d/k3_s1_p1/pir/model.pdiparams" },
        { "ops/multiclass_nms3/basic/pir/model.json", null },
        { "ops/reshape2/zero_and_m1/pir/model.json", null },
        { "models/zoo/ShuffleNetV2_x0_25/pir/inference.json", "models/zoo/ShuffleNetV2_x0_25/pir/inference.pdiparams" },
    };

    [Theory]
    [MemberData(nameof(PirSeeds))]
    public void PirAttributeAndDimMutations_OnlyEverThrowPaddleNetException(string program, string? parameters)
    {
        string json = File.ReadAllText(SharedData.Path(program.Split('/')));
        byte[]? pars = parameters is null ? null : File.ReadAllBytes(SharedData.Path(parameters.Split('/')));
        var sites = ScalarAttribute().Matches(json).Select(m => m.Groups[1]).Concat(FirstDim().Matches(json).Select(m => m.Groups[1])).ToArray();
        Assert.True(sites.Length > 0, "no attribute or dim to mutate");
        int cases = Math.Min(Budget(), sites.Length * Interesting.Length);
        var rng = new Random(17);
        int typed = 0;
        for (int i = 0; i < cases; i++)
        {
            var site = sites[rng.Next(sites.Length)];
            string value = Interesting[rng.Next(Interesting.Length)];
            string mutant = string.Concat(json.AsSpan(0, site.Index), value, json.AsSpan(site.Index + site.Length));
            var outcome = TryLoadAndPlan(Encoding.UTF8.GetBytes(mutant), pars);
            if (outcome is PaddleNetException) typed++;
            else if (outcome is not null) Assert.Fail($"{program}: '{site.Value}' -> {value} at char {site.Index}: {outcome.GetType().Name}: {outcome.Message}\n{outcome.StackTrace}");
        }

        Assert.True(typed > 0, "no mutant was refused: the mutator does nothing");
    }

    /// <summary>The int64 dims of every variable and parameter description of the synthetic .nb, found by their
    /// byte pattern, each replaced by hostile values.</summary>
    [Fact]
    public void NbTensorDescriptionDimMutations_OnlyEverThrowPaddleNetException()
    {
        byte[] nb = Lite.TinyNb.Build();
        long[][] declared = [[2], [2, 1, 2, 2], [-1, 1, 3, 3], [-1, 2, 2, 2]];
        var sites = new List<int>();
        foreach (long[] dims in declared)
        {
            byte[] pattern = dims.SelectMany(BitConverter.GetBytes).ToArray();
            for (int at = nb.AsSpan().IndexOf(pattern), from = 0; at >= 0; at = nb.AsSpan(from).IndexOf(pattern) is var k && k >= 0 ? from + k : -1)
            {
                for (int d = 0; d < dims.Length; d++) sites.Add(at + 8 * d);
                from = at + 1;
            }
        }

        Assert.True(sites.Count >= 10, $"only {sites.Count} dims found");
        long[] values = [-2, long.MinValue, long.MaxValue, 1L << 31, 1L << 32, 1L << 40, int.MaxValue, 0, 3];
        int typed = 0, runs = 0;
        foreach (int site in sites)
        {
            foreach (long v in values)
            {
                byte[] mutant = (byte[])nb.Clone();
                BinaryPrimitives.WriteInt64LittleEndian(mutant.AsSpan(site), v);
                var outcome = TryLoadAndPlan(mutant, null);
                runs++;
                if (outcome is PaddleNetException) typed++;
                else if (outcome is not null) Assert.Fail($"dim at byte {site} -> {v}: {outcome.GetType().Name}: {outcome.Message}\n{outcome.StackTrace}");
            }

            // The vector's length prefix (uint32 before the first dim of a run) set absurd.
            byte[] lengthMutant = (byte[])nb.Clone();
            if (site >= 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(lengthMutant.AsSpan(site - 4), 0x7FFFFFFF);
                var o = TryLoadAndPlan(lengthMutant, null);
                runs++;
                if (o is not null and not PaddleNetException) Assert.Fail($"length before byte {site}: {o.GetType().Name}: {o.Message}\n{o.StackTrace}");
            }
        }

        Assert.True(typed > runs / 4, $"only {typed} of {runs} hostile dims were refused");
    }

    // PADDLENET_FUZZ_CASES raises the count for a long campaign (docs/reliability.md); CI runs 300 per seed.
    private static int Budget() => int.TryParse(Environment.GetEnvironmentVariable("PADDLENET_FUZZ_CASES"), out int n) && n > 0 ? n : 300;

    private static Exception? TryLoadAndPlan(byte[] program, byte[]? pars)
    {
        var task = Task.Run(() =>
        {
            try
            {
                using var session = new InferenceSession(PaddleModel.Load(program, pars is null ? null : pars.AsMemory()));
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        if (!task.Wait(PerCaseLimit)) throw new TimeoutException($"a mutant took longer than {PerCaseLimit}: the loader may hang");
        return task.Result;
    }
}
