using PaddleNet.Kernels.Activations;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Activations;

public sealed class UnaryOpsTests
{
    private static readonly int[] Lengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100];

    [Fact]
    public void Apply_VectorisedOps_BitEqualToReference()
    {
        Check(default(AbsOp), ActivationTolerances.Exact, 0);
        Check(default(CeilOp), ActivationTolerances.Exact, 0);
        Check(default(FloorOp), ActivationTolerances.Exact, 0);
        Check(default(RoundOp), ActivationTolerances.Exact, 0);
        Check(default(ReciprocalOp), ActivationTolerances.Exact, 0);
        Check(default(RsqrtOp), ActivationTolerances.Exact, 0, positive: true);
        Check(default(SqrtOp), ActivationTolerances.Exact, 0, positive: true);
        Check(default(SquareOp), ActivationTolerances.Exact, 0);
        Check(default(SignOp), ActivationTolerances.Exact, 0);
        Check(default(ReluOp), ActivationTolerances.Exact, 0);
        Check(default(Relu6Op), ActivationTolerances.Exact, 0);
        Check(new LeakyReluOp { Alpha = 0.1f }, ActivationTolerances.Exact, 0);
        Check(default(HardSwishOp), ActivationTolerances.Exact, 0);
        Check(new HardSigmoidOp { Slope = 0.2f, Offset = 0.5f }, ActivationTolerances.Exact, 0);
        Check(new PowOp { Factor = 2f }, ActivationTolerances.Exact, 0);
        Check(new PowOp { Factor = 3f }, ActivationTolerances.Exact, 0);
    }

    [Fact]
    public void Apply_TensorPrimitivesOps_CloseToReference()
    {
        const double a = ActivationTolerances.TensorPrimitivesAbs, r = ActivationTolerances.TensorPrimitivesRel;
        Check(default(ExpOp), a, r);
        Check(default(LogOp), a, r, positive: true);
        Check(default(SinOp), a, r);
        Check(default(CosOp), a, r);
        Check(default(TanhOp), a, r);
        Check(default(SigmoidOp), a, r);
        Check(default(SiluOp), a, r);
        Check(new SwishOp { Beta = 1.5f }, a, r);
    }

    [Fact]
    public void Compute_LargeTensorOnPool_SameAsSingleThread()
    {
        using var pool = new IntraOpPool(2);
        var rng = new Random(42);
        var x = Enumerable.Range(0, 100_003).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
        var single = new float[x.Length];
        var multi = new float[x.Length];
        var op = new LeakyReluOp { Alpha = 0.02f };
        UnaryDriver.Compute(op, x, single, null);
        UnaryDriver.Compute(op, x, multi, pool);
        Assert.Equal(single, multi);
        var reference = new float[x.Length];
        UnaryDriver.Reference(op, x, reference);
        Assert.Equal(reference, multi);
    }

    [Fact]
    public void Round_Halves_RoundToEven()
    {
        float[] x = [0.5f, 1.5f, 2.5f, -2.5f, -0.5f, 3.5f, 2.4999998f, -1.5f, 0.49999997f];
        var y = new float[x.Length];
        default(RoundOp).Apply(x, y);
        Assert.Equal([0f, 2f, 2f, -2f, -0f, 4f, 2f, -2f, 0f], y);
        Assert.True(float.IsNegative(y[4]));
    }

    [Fact]
    public void Relu_NegativeZero_GivesPositiveZero()
    {
        var x = Enumerable.Repeat(-0f, 9).ToArray();
        var y = new float[9];
        default(ReluOp).Apply(x, y);
        Assert.All(y, v => Assert.False(float.IsNegative(v)));
    }

    [Fact]
    public void Erf_KnownValues_MatchLibm()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(0.8427007929497149, SpecialFunctions.Erf(1.0), 1e-15);
        Assert.Equal(-0.9953222650189527, SpecialFunctions.Erf(-2.0), 1e-15);
        Assert.Equal(0.1124629160182849, SpecialFunctions.Erf(0.1), 1e-15);
        Assert.Equal(0.9999999999984626, SpecialFunctions.Erf(5.0), 1e-15);
        Assert.Equal(1.0, SpecialFunctions.Erf(30.0));
    }

    [Fact]
    public void Softplus_AboveThreshold_IsIdentity()
    {
        var op = new SoftplusOp { Beta = 2f, Threshold = 5f };
        Assert.Equal(3f, op.Invoke(3f));
        Assert.Equal((float)(Math.Log(1 + Math.Exp(2.0)) / 2), op.Invoke(1f), 6);
    }

    [Fact]
    public void Gelu_ErfAndTanhForms_Agree()
    {
        var exact = new GeluOp { Approximate = false };
        var tanh = new GeluOp { Approximate = true };
        for (float x = -4; x <= 4; x += 0.25f)
        {
            double expected = 0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));
            Assert.True(Math.Abs(expected - exact.Invoke(x)) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"gelu({x})");
            Assert.True(Math.Abs(exact.Invoke(x) - tanh.Invoke(x)) < 1e-3, $"gelu forms at {x}");
        }
    }

    [Fact]
    public void Softmax_FastRows_MatchReference()
    {
        var rng = new Random(42);
        foreach (int n in Lengths.Where(n => n > 0))
        {
            const int outer = 3;
            var x = Enumerable.Range(0, outer * n).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
            foreach (bool log in new[] { false, true })
            {
                var fast = new float[x.Length];
                var reference = new float[x.Length];
                SoftmaxKernel.FastRows(x, fast, outer, n, log);
                SoftmaxKernel.Reference(x, reference, outer, n, 1, log);
                for (int i = 0; i < x.Length; i++)
                {
                    Assert.True(Math.Abs(fast[i] - reference[i]) <= 1e-6 + 1e-5 * Math.Abs(reference[i]), $"n={n} log={log} i={i}: {fast[i]} vs {reference[i]}");
                }
                if (!log) Assert.Equal(outer, fast.Sum(), 4);
            }
        }
    }

    [Fact]
    public void Softmax_Split_NegativeAndMiddleAxis()
    {
        SoftmaxKernel.Split([2, 4, 3, 3], 1, "softmax", out int outer, out int n, out int inner);
        Assert.Equal((2, 4, 9), (outer, n, inner));
        SoftmaxKernel.Split([2, 3, 7], -1, "softmax", out outer, out n, out inner);
        Assert.Equal((6, 7, 1), (outer, n, inner));
        Assert.Throws<ShapeMismatchException>(() => SoftmaxKernel.Split([2, 3], 2, "softmax", out _, out _, out _));
    }

    [Fact]
    public void Prelu_ChannelMode_UsesPerChannelAlpha()
    {
        float[] x = [-1, 2, -3, 4, -1, -1, -2, -2];
        float[] alpha = [0.5f, 0.25f];
        var y = new float[8];
        PreluKernel.Reference(x, alpha, y, channels: 2, inner: 2); // [2, 2, 2] NCHW-like
        Assert.Equal([-0.5f, 2, -0.75f, 4, -0.5f, -0.5f, -0.5f, -0.5f], y);
    }

    private static void Check<TOp>(TOp op, double abs, double rel, bool positive = false)
        where TOp : struct, IUnaryOp
    {
        var rng = new Random(42);
        foreach (int n in Lengths)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = positive ? (float)(rng.NextDouble() * 10 + 0.01) : (float)(rng.NextDouble() * 16 - 8);
            if (!positive && n > 4) (x[0], x[1], x[2], x[3]) = (0f, -0f, 2.5f, -3f);
            var fast = new float[n];
            var reference = new float[n];
            op.Apply(x, fast);
            UnaryDriver.Reference(op, x, reference);
            for (int i = 0; i < n; i++)
            {
                bool ok = fast[i].Equals(reference[i]) || Math.Abs(fast[i] - reference[i]) <= abs + rel * Math.Abs(reference[i]);
                Assert.True(ok, $"{typeof(TOp).Name} n={n} x={x[i]}: fast {fast[i]} vs reference {reference[i]}");
            }
        }
    }
}
