using PaddleNet.Kernels;
using PaddleNet.Kernels.Activations;
using PaddleNet.Kernels.Elementwise;
using PaddleNet.Kernels.Nn;

namespace PaddleNet.Tests.Kernels;

/// <summary>
/// The element-wise kernels written once over <see cref="IVec{TSelf, T}"/>, forced to every width this
/// process accelerates (scalar, 128, 256, 512) and compared bit for bit with their scalar references,
/// on lengths that leave every remainder of every width.
/// </summary>
public sealed unsafe class SimdWidthTests
{
    private static readonly int[] Lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100];

    [Fact]
    public void Widths_IncludeScalarAndTheBest()
    {
        var widths = Simd.Widths().ToArray();
        Assert.Equal(0, widths[0]);
        Assert.Equal(Simd.BestWidth, widths[^1]);
    }

    /// <summary>
    /// The stride-2 gathers and the compare-and-select max at every accelerated width, against their definitions: lanes
    /// 0, 2, 4… and 1, 3, 5… of two registers, and a &gt; b ? a : b on NaN and signed-zero lanes too.
    /// </summary>
    [Fact]
    public void EvensOddsGreaterOf_EveryWidth_MatchDefinitions()
    {
        int checkedWidths = 0;
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) { CheckLanes<Vec128<float>>(); checkedWidths++; }
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) { CheckLanes<Vec256<float>>(); checkedWidths++; }
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) { CheckLanes<Vec512<float>>(); checkedWidths++; }
        Assert.Equal(Simd.Widths().Count(w => w > 0), checkedWidths);
    }

    private static void CheckLanes<TV>() where TV : struct, IVec<TV, float>
    {
        int n = TV.Count;
        var src = new float[2 * n];
        for (int i = 0; i < src.Length; i++) src[i] = 100 + i;
        var a = new float[n];
        var b = new float[n];
        float[] specials = [float.NaN, 0f, -0f, 1f, -1f, float.NegativeInfinity];
        for (int i = 0; i < n; i++)
        {
            a[i] = specials[i % specials.Length];
            b[i] = specials[(i / specials.Length + i + 1) % specials.Length];
        }
        var even = new float[n];
        var odd = new float[n];
        var gt = new float[n];
        fixed (float* ps = src) fixed (float* pa = a) fixed (float* pb = b) fixed (float* pe = even) fixed (float* po = odd) fixed (float* pg = gt)
        {
            TV.Store(TV.Evens(TV.Load(ps), TV.Load(ps + n)), pe);
            TV.Store(TV.Odds(TV.Load(ps), TV.Load(ps + n)), po);
            TV.Store(TV.GreaterOf(TV.Load(pa), TV.Load(pb)), pg);
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(src[2 * i], even[i]);
            Assert.Equal(src[2 * i + 1], odd[i]);
            Assert.Equal(BitConverter.SingleToInt32Bits(a[i] > b[i] ? a[i] : b[i]), BitConverter.SingleToInt32Bits(gt[i]));
        }
    }

    [Fact]
    public void UnaryOps_EveryWidth_BitEqualToReference()
    {
        CheckUnary(default(AbsOp));
        CheckUnary(default(CeilOp));
        CheckUnary(default(FloorOp));
        CheckUnary(default(ReciprocalOp));
        CheckUnary(default(RsqrtOp), positive: true);
        CheckUnary(default(SqrtOp), positive: true);
        CheckUnary(default(SquareOp));
        CheckUnary(default(SignOp));
        CheckUnary(default(ReluOp));
        CheckUnary(default(Relu6Op));
        CheckUnary(new LeakyReluOp { Alpha = 0.1f });
        CheckUnary(default(HardSwishOp));
        CheckUnary(new HardSigmoidOp { Slope = 0.2f, Offset = 0.5f });
        CheckUnary(new PaddleNet.Kernels.Elementwise.ClipOp { Min = -1.5f, Max = 2.25f });
        CheckUnary(new ScaleOp { Scale = 1.7f, Bias = -0.3f, BiasAfter = true });
        CheckUnary(new ScaleOp { Scale = 1.7f, Bias = -0.3f, BiasAfter = false });
        CheckUnary(new ConvEpilogue.ClipOp { Max = 4f });
        CheckUnary(default(ConvEpilogue.IdentityOp));
    }

    /// <summary>
    /// hard_swish's vector form gives the reference's exact bits, the sign of zero included (the width tests' Equals does not see it),
    /// on the special values and on every 251st float bit pattern, at every width.
    /// </summary>
    [Fact]
    public void HardSwish_EveryWidth_SameBitsAsReferenceOnSpecialsAndAStrideOfAllFloats()
    {
        var values = new List<float> { 0f, -0f, 3f, -3f, 6f, -6f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-38f, -1e-38f };
        for (long bits = 0; bits <= uint.MaxValue; bits += 251) values.Add(BitConverter.Int32BitsToSingle((int)(uint)bits));
        var x = values.ToArray();
        var reference = new float[x.Length];
        UnaryDriver.Reference(default(HardSwishOp), x, reference);
        foreach (int width in Simd.Widths())
        {
            var fast = new float[x.Length];
            UnaryDriver.Vectorized(default(HardSwishOp), x, fast, width);
            for (int i = 0; i < x.Length; i++)
            {
                bool same = float.IsNaN(reference[i]) ? float.IsNaN(fast[i]) : BitConverter.SingleToInt32Bits(fast[i]) == BitConverter.SingleToInt32Bits(reference[i]);
                Assert.True(same, $"width {width} x={x[i]:R} (0x{BitConverter.SingleToInt32Bits(x[i]):X8}): {fast[i]:R} vs reference {reference[i]:R}");
            }
        }
    }

    [Fact]
    public void ConvEpilogue_EveryWidth_BitEqualToReference()
    {
        CheckEpilogue(default(ConvEpilogue.IdentityOp));
        CheckEpilogue(default(ReluOp));
        CheckEpilogue(default(HardSwishOp));
        CheckEpilogue(new HardSigmoidOp { Slope = 0.2f, Offset = 0.5f });
        CheckEpilogue(new LeakyReluOp { Alpha = 0.02f });
        var rng = new Random(7);
        foreach (int n in Lengths)
        {
            var y0 = RandomFloats(rng, n, false);
            var r = RandomFloats(rng, n, false);
            foreach (bool hasBias in new[] { false, true })
            {
                foreach (bool first in new[] { false, true })
                {
                    var expected = (float[])y0.Clone();
                    fixed (float* pe = expected, pr = r) ConvEpilogue.AddResidualReference(pe, pr, n, hasBias, 0.37f, first);
                    foreach (int width in Simd.Widths().Where(w => w > 0))
                    {
                        var got = (float[])y0.Clone();
                        fixed (float* pg = got, pr = r)
                        {
                            switch (width)
                            {
                                case 128: ConvEpilogue.AddResidual<Vec128<float>>(pg, pr, n, hasBias, 0.37f, first); break;
                                case 256: ConvEpilogue.AddResidual<Vec256<float>>(pg, pr, n, hasBias, 0.37f, first); break;
                                default: ConvEpilogue.AddResidual<Vec512<float>>(pg, pr, n, hasBias, 0.37f, first); break;
                            }
                        }
                        Assert.True(expected.AsSpan().SequenceEqual(got), $"residual width {width} n={n} bias={hasBias} first={first}");
                    }
                }
            }
        }
    }

    [Fact]
    public void BinaryOps_EveryWidth_BitEqualToReference()
    {
        CheckBinary<AddOp, float>(); CheckBinary<SubOp, float>(); CheckBinary<MulOp, float>(); CheckBinary<DivOp, float>();
        CheckBinary<MaxOp, float>(); CheckBinary<MinOp, float>();
        CheckBinary<AddOp, double>(); CheckBinary<SubOp, double>(); CheckBinary<MulOp, double>(); CheckBinary<DivOp, double>();
        CheckBinary<MaxOp, double>(); CheckBinary<MinOp, double>();
        CheckBinary<AddOp, int>(); CheckBinary<SubOp, int>(); CheckBinary<MaxOp, int>(); CheckBinary<MinOp, int>();
        CheckBinary<AddOp, long>(); CheckBinary<SubOp, long>(); CheckBinary<MaxOp, long>(); CheckBinary<MinOp, long>();
    }

    [Fact]
    public void StorePartial_EveryWidth_WritesOnlyItsLanes()
    {
        foreach (int width in Simd.Widths().Where(w => w > 0))
        {
            int lanes = width / 32;
            for (int n = 0; n <= lanes; n++)
            {
                var src = Enumerable.Range(1, lanes).Select(i => (float)i).ToArray();
                var dst = Enumerable.Repeat(-7f, lanes + 4).ToArray();
                fixed (float* ps = src, pd = dst)
                {
                    switch (width)
                    {
                        case 128: Vec128<float>.StorePartial(Vec128<float>.Load(ps), pd, n); break;
                        case 256: Vec256<float>.StorePartial(Vec256<float>.Load(ps), pd, n); break;
                        default: Vec512<float>.StorePartial(Vec512<float>.Load(ps), pd, n); break;
                    }
                }
                for (int i = 0; i < dst.Length; i++) Assert.Equal(i < n ? i + 1f : -7f, dst[i]);
            }
        }
    }

    [Fact]
    public void SumSquaredDiff_EveryWidth_CloseToReference()
    {
        var rng = new Random(5);
        foreach (int n in Lengths)
        {
            var x = RandomFloats(rng, n, false);
            float reference = PaddleNet.Kernels.Norm.NormMath.SumSquaredDiffReference(x, 0.3f);
            foreach (int width in Simd.Widths().Where(w => w > 0))
            {
                float got = width switch
                {
                    128 => PaddleNet.Kernels.Norm.NormMath.SumSquaredDiff<Vec128<float>>(x, 0.3f),
                    256 => PaddleNet.Kernels.Norm.NormMath.SumSquaredDiff<Vec256<float>>(x, 0.3f),
                    _ => PaddleNet.Kernels.Norm.NormMath.SumSquaredDiff<Vec512<float>>(x, 0.3f),
                };
                // Lane-parallel partial sums reorder the additions: float rounding only.
                Assert.True(Math.Abs(got - reference) <= 1e-5 * Math.Max(1, reference), $"width {width} n={n}: {got} vs {reference}");
            }
        }
    }

    /// <summary>conv2d_transpose's row accumulations (512 → 256 → 128 cascade, then scalar) against plain loops.</summary>
    [Fact]
    public void Conv2DTransposeRows_BitEqualToReference()
    {
        var rng = new Random(9);
        foreach (int n in Lengths)
        {
            var d0 = RandomFloats(rng, n, false);
            var src = RandomFloats(rng, n, false);
            var add = (float[])d0.Clone();
            var axpy = (float[])d0.Clone();
            fixed (float* pa = add, px = axpy, ps = src)
            {
                Conv2DTransposeKernel.AddRow(pa, ps, n);
                Conv2DTransposeKernel.AxpyRow(px, ps, n, 0.7f);
            }
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(d0[i] + src[i], add[i]);
                Assert.Equal(d0[i] + 0.7f * src[i], axpy[i]);
            }
        }
    }

    private static float[] RandomFloats(Random rng, int n, bool positive)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = positive ? (float)(rng.NextDouble() * 10 + 0.01) : (float)(rng.NextDouble() * 16 - 8);
        if (!positive && n > 4) (x[0], x[1], x[2], x[3]) = (0f, -0f, 2.5f, -3f);
        return x;
    }

    private static void CheckUnary<TOp>(TOp op, bool positive = false)
        where TOp : struct, IVectorUnaryOp
    {
        var rng = new Random(42);
        foreach (int n in Lengths)
        {
            var x = RandomFloats(rng, n, positive);
            var reference = new float[n];
            UnaryDriver.Reference(op, x, reference);
            foreach (int width in Simd.Widths())
            {
                var fast = new float[n];
                UnaryDriver.Vectorized(op, x, fast, width);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(fast[i].Equals(reference[i]), $"{typeof(TOp).Name} width {width} n={n} x={x[i]}: {fast[i]} vs reference {reference[i]}");
                }
            }
        }
    }

    private static void CheckEpilogue<TOp>(TOp op)
        where TOp : struct, IVectorUnaryOp
    {
        var rng = new Random(3);
        foreach (int n in Lengths)
        {
            var y0 = RandomFloats(rng, n, false);
            foreach (bool hasBias in new[] { false, true })
            {
                var expected = (float[])y0.Clone();
                fixed (float* pe = expected) ConvEpilogue.RunReference(pe, n, hasBias, -0.61f, op);
                foreach (int width in Simd.Widths().Where(w => w > 0))
                {
                    var got = (float[])y0.Clone();
                    fixed (float* pg = got)
                    {
                        switch (width)
                        {
                            case 128: ConvEpilogue.Run<TOp, Vec128<float>>(pg, n, hasBias, -0.61f, op); break;
                            case 256: ConvEpilogue.Run<TOp, Vec256<float>>(pg, n, hasBias, -0.61f, op); break;
                            default: ConvEpilogue.Run<TOp, Vec512<float>>(pg, n, hasBias, -0.61f, op); break;
                        }
                    }
                    Assert.True(expected.AsSpan().SequenceEqual(got), $"epilogue {typeof(TOp).Name} width {width} n={n} bias={hasBias}");
                }
            }
        }
    }

    private static void CheckBinary<TOp, T>()
        where TOp : IBinaryOp<T, T>
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var rng = new Random(11);
        foreach (int n in Lengths)
        {
            var x = new T[n];
            var y = new T[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = T.CreateTruncating(rng.NextDouble() * 200 - 100);
                var v = T.CreateTruncating(rng.NextDouble() * 200 - 100);
                y[i] = v == T.Zero ? T.One : v;
            }
            T s = y.Length > 0 ? y[0] : T.One;
            var refVV = new T[n];
            var refVS = new T[n];
            var refSV = new T[n];
            for (int i = 0; i < n; i++)
            {
                refVV[i] = TOp.Invoke(x[i], y[i]);
                refVS[i] = TOp.Invoke(x[i], s);
                refSV[i] = TOp.Invoke(s, y[i]);
            }
            foreach (int width in Simd.Widths().Where(w => w > 0))
            {
                var vv = new T[n];
                var vs = new T[n];
                var sv = new T[n];
                fixed (T* px = x, py = y, pvv = vv, pvs = vs, psv = sv)
                {
                    int a, b, c;
                    switch (width)
                    {
                        case 128:
                            a = BinaryDriver.Body<TOp, T, T>.VV<Vec128<T>>(px, py, pvv, n);
                            b = BinaryDriver.Body<TOp, T, T>.VS<Vec128<T>>(px, s, pvs, n);
                            c = BinaryDriver.Body<TOp, T, T>.SV<Vec128<T>>(s, py, psv, n);
                            break;
                        case 256:
                            a = BinaryDriver.Body<TOp, T, T>.VV<Vec256<T>>(px, py, pvv, n);
                            b = BinaryDriver.Body<TOp, T, T>.VS<Vec256<T>>(px, s, pvs, n);
                            c = BinaryDriver.Body<TOp, T, T>.SV<Vec256<T>>(s, py, psv, n);
                            break;
                        default:
                            a = BinaryDriver.Body<TOp, T, T>.VV<Vec512<T>>(px, py, pvv, n);
                            b = BinaryDriver.Body<TOp, T, T>.VS<Vec512<T>>(px, s, pvs, n);
                            c = BinaryDriver.Body<TOp, T, T>.SV<Vec512<T>>(s, py, psv, n);
                            break;
                    }
                    int lanes = width / 8 / sizeof(T);
                    Assert.Equal(n / lanes * lanes, a);
                    Assert.Equal(a, b);
                    Assert.Equal(a, c);
                    for (int i = 0; i < a; i++)
                    {
                        Assert.True(refVV[i].Equals(vv[i]) && refVS[i].Equals(vs[i]) && refSV[i].Equals(sv[i]), $"{typeof(TOp).Name}<{typeof(T).Name}> width {width} n={n} i={i}");
                    }
                }
            }
        }
    }
}
