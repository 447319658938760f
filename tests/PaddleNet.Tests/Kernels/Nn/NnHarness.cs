using PaddleNet.Kernels;
using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>Runs one Nn kernel outside a model: slot → tensor inputs (optionally bound as constants so weights get pre-packed).</summary>
internal static class NnHarness
{
    public static Tensor[] Run(string opType, Action<AttributeMap> attrs, (string Slot, Tensor Value, bool Constant)[] inputs, string[] outputs, int threads = 2)
    {
        var op = new Operator(opType);
        attrs(op.Attributes);
        var ids = new Dictionary<string, int>();
        foreach (var (slot, _, _) in inputs) { op.Inputs[slot] = [slot]; ids[slot] = ids.Count; }
        foreach (var slot in outputs) { op.Outputs[slot] = ["out_" + slot]; ids["out_" + slot] = ids.Count; }
        var constants = inputs.Where(i => i.Constant).ToDictionary(i => ids[i.Slot], i => i.Value);
        var b = new KernelBuilder(op, 0, 0, null, n => ids[n], id => constants.GetValueOrDefault(id));
        Assert.True(KernelRegistry.TryGet(opType, out var factory));
        var kernel = factory(b);
        using var pool = new IntraOpPool(threads);
        var ctx = new RunContext(ids.Count, pool);
        foreach (var (slot, value, constant) in inputs)
        {
            if (constant) ctx.BindConstant(ids[slot], value);
            else ctx.BindInput(ids[slot], value);
        }
        kernel.Execute(ctx);
        kernel.Execute(ctx); // a second run reuses the buffers and must give the same result
        return outputs.Select(s =>
        {
            int id = ids["out_" + s];
            var t = new Tensor(ctx.Type(id), ctx.Shape(id));
            ctx.ReadBytes(id).CopyTo(t.RawData);
            return t;
        }).ToArray();
    }

    [ThreadStatic] private static Dictionary<int, RunScratch>? t_scratch;

    /// <summary>
    /// Scratch for a kernel called directly, for <paramref name="threads"/> intra-op threads, reused by the tests on this
    /// thread. Held here, it outlives every kernel call of the test: kernels hold raw pointers into its buffers, which a
    /// collection would free once the RunScratch is unreachable (a <c>new RunScratch(..)</c> passed straight into a kernel
    /// was, mid-call, and crashed a CI run).
    /// </summary>
    public static RunScratch Scratch(int threads) => (t_scratch ??= []).TryGetValue(threads, out var s) ? s : t_scratch[threads] = new RunScratch(threads);

    public static float[] RandomFloats(Random r, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = NnTolerances.SumAbs + NnTolerances.SumRel * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}: element {i}: {actual[i]} vs reference {expected[i]}");
        }
    }
}

/// <summary>Tolerances of the Nn differential tests.</summary>
internal static class NnTolerances
{
    /// <summary>
    /// Fast vs reference sums of up to ~600 products of values in [−1, 1]: the blocked/FMA order
    /// differs from the sequential scalar order by a few float32 ulps of the partial sums (|sum| ≲ 25,
    /// ulp 2e-6), so 1e-4 absolute + 1e-5 relative is comfortably above rounding and far below any
    /// indexing bug (which gives O(0.1) errors).
    /// </summary>
    public const double SumAbs = 1e-4;
    public const double SumRel = 1e-5;

    /// <summary>
    /// Winograd F(4,3) against the direct sum, per input channel (added to <see cref="SumAbs"/>): its transforms
    /// scale the 6×6 window by up to 5 per side and the output transform weighs terms by up to 8, so each channel's
    /// float32 rounding is that of values ~100× the products. Measured worst: 2.7e-4 at C = 300 (9e-7 per channel);
    /// 2e-6 per channel keeps twice that margin and stays far below an indexing bug's O(0.1).
    /// </summary>
    public const double WinogradAbsPerChannel = 2e-6;
}
