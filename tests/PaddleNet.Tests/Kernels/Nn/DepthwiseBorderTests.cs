using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>
/// The depthwise bordering (<see cref="DepthwiseConv2D.BorderFast"/>: column stride 1 and 2 runs) writes exactly the bordered
/// phases of the plain <see cref="DepthwiseConv2D.Border"/> at every vector width, for widths hitting each vector remainder
/// and every left/right pad; and the per-plane path (wide planes bordered strip by strip, the epilogue run strip by strip) equals whole-plane bordering and epilogue.
/// </summary>
public sealed unsafe class DepthwiseBorderTests
{
    public static TheoryData<int, int, int, int> Cases()
    {
        // column stride, kernel, pad left, pad right (the row pads follow the column ones)
        var d = new TheoryData<int, int, int, int>();
        foreach (var s in new[] { 1, 2, 3 })
        {
            foreach (var (k, pl, pr) in new[] { (3, 1, 1), (3, 0, 0), (3, 1, 0), (3, 0, 1), (5, 2, 2), (5, 2, 1), (5, 1, 2), (3, 2, 2), (1, 0, 0), (5, 0, 0) })
            {
                d.Add(s, k, pl, pr);
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BorderFast_SameBufferAsBorder_EveryWidth(int s, int k, int pl, int pr)
    {
        var r = new Random(s * 100 + k * 10 + pl);
        for (int w = 1; w <= 70; w++)
        {
            int h = 3;
            var x = NnHarness.RandomFloats(r, h * w);
            var geo = ConvGeometry.Resolve(h, w, k, k, [s, s], [1, 1], [pl, pr, pl, pr], PadAlgorithm.Explicit);
            int ho = geo.OutH(h), wo = geo.OutW(w);
            if (ho <= 0 || wo <= 0) continue;
            int rowsP = (ho - 1) * s + k;
            int colsP = (wo - 1) * s + k;
            int phaseLen = (colsP + s - 1) / s;
            int len = rowsP * s * phaseLen;
            foreach (var maxVector in new[] { 1, 4, 8, 16 })
            {
                var expected = new float[len + DepthwiseConv2D.Slack];
                var actual = new float[len + DepthwiseConv2D.Slack];
                Array.Fill(expected, float.NaN);
                Array.Fill(actual, float.NaN);
                fixed (float* px = x) fixed (float* pe = expected) fixed (float* pa = actual)
                {
                    DepthwiseConv2D.Border(px, h, w, geo, rowsP, phaseLen, pe);
                    DepthwiseConv2D.BorderFast(px, h, w, geo, rowsP, phaseLen, pa, maxVector);
                }
                for (int i = 0; i < len; i++)
                {
                    if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                    {
                        Assert.Fail($"border s={s} k={k} pads={pl},{pr} w={w} v={maxVector}: float {i} is {actual[i]}, expected {expected[i]}");
                    }
                }
            }
        }
    }

    /// <summary>Wide planes run in several strips of rows (epilogue after each): bit-identical to the plain planes plus the epilogue over whole planes, and near the reference.</summary>
    [Theory]
    [InlineData(161, 40, 3, 1)]
    [InlineData(161, 120, 5, 2)]
    [InlineData(600, 23, 3, 1)]
    [InlineData(600, 40, 3, 2)]
    [InlineData(97, 70, 5, 1)]
    public void PlanePath_EpilogueByStrips_SameAsWholePlane(int w, int h, int k, int stride)
    {
        var r = new Random(w + h);
        int n = 1, c = 3;
        var x = NnHarness.RandomFloats(r, n * c * h * w);
        var f = NnHarness.RandomFloats(r, c * k * k);
        var bias = NnHarness.RandomFloats(r, c);
        var geo = ConvGeometry.Resolve(h, w, k, k, [stride, stride], [1, 1], [k / 2, k / 2, k / 2, k / 2], PadAlgorithm.Explicit);
        int ho = geo.OutH(h), wo = geo.OutW(w), hw = ho * wo;
        Assert.True(ho * wo > 2 * DepthwiseConv2D.StripFloats, "the plane must span several strips");
        // (600, 23), (161, 120) and (600, 40) also exceed BorderStripFloats: bordered strip by strip.
        var expected = new float[n * c * hw];
        Conv2DKernel.Reference(x, n, c, h, w, f, c, k, k, c, geo, expected);
        using var pool = new IntraOpPool(2);
        foreach (var maxVector in new[] { 1, 4, 8, 16 })
        {
            var whole = new float[expected.Length];
            var strips = new float[expected.Length];
            Array.Fill(strips, float.NaN);
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pb = bias) fixed (float* p1 = whole) fixed (float* p2 = strips)
            {
                var ep = new ConvEpilogue { Bias = pb, Act = FusedActivation.HardSwish };
                DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p1, n, c, h, w, c, geo, ho, wo, default, maxVector, blocked: false);
                for (int o = 0; o < c; o++) ep.Apply(p1 + (long)o * hw, hw, o);
                DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p2, n, c, h, w, c, geo, ho, wo, ep, maxVector, blocked: false);
            }
            var raw = new float[expected.Length];
            fixed (float* px = x) fixed (float* pf = f) fixed (float* p3 = raw)
            {
                DepthwiseConv2D.Run(pool, NnHarness.Scratch(pool.Threads), px, pf, p3, n, c, h, w, c, geo, ho, wo, default, maxVector, blocked: false);
            }
            NnHarness.Close(expected, raw, $"depthwise planes w={w} k={k} s={stride} v={maxVector}");
            Assert.True(whole.Select(BitConverter.SingleToInt32Bits).SequenceEqual(strips.Select(BitConverter.SingleToInt32Bits)),
                $"depthwise strips w={w} k={k} s={stride} v={maxVector}: not bit-identical to the whole-plane epilogue");
            // Wide planes are also bordered strip by strip: the same as one whole-plane Border + Plane per channel.
            int rowsP = (ho - 1) * stride + k, colsP = (wo - 1) * stride + k, phaseLen = (colsP + stride - 1) / stride;
            var planeBuf = new float[rowsP * stride * phaseLen + DepthwiseConv2D.Slack];
            var onePlane = new float[expected.Length];
            fixed (float* px = x) fixed (float* pf = f) fixed (float* pbuf = planeBuf) fixed (float* p4 = onePlane)
            {
                for (int o = 0; o < c; o++)
                {
                    DepthwiseConv2D.Border(px + (long)o * h * w, h, w, geo, rowsP, phaseLen, pbuf);
                    DepthwiseConv2D.Plane(pbuf, phaseLen, pf + o * k * k, p4 + (long)o * hw, ho, wo, geo, maxVector);
                }
            }
            Assert.True(onePlane.Select(BitConverter.SingleToInt32Bits).SequenceEqual(raw.Select(BitConverter.SingleToInt32Bits)),
                $"depthwise w={w} k={k} s={stride} v={maxVector}: bordered by strips, not bit-identical to the whole plane");
        }
    }
}
