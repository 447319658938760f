using PaddleNet.Kernels.Resize;
using PaddleNet.Tests.Kernels.Reductions;
using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Reductions.ReductionsHarness;

namespace PaddleNet.Tests.Kernels.Resize;

public sealed class InterpTests
{
    public static TheoryData<string, int, int, int, int, bool, int> Cases()
    {
        var d = new TheoryData<string, int, int, int, int, bool, int>();
        foreach (var m in new[] { "nearest", "bilinear", "bicubic" })
        {
            foreach (var (ih, iw, oh, ow) in new[] { (4, 5, 8, 10), (5, 7, 9, 11), (8, 9, 4, 5), (1, 17, 3, 33), (16, 16, 31, 15), (3, 3, 1, 7), (3, 4, 24, 32) })
            {
                d.Add(m, ih, iw, oh, ow, false, 0);
                d.Add(m, ih, iw, oh, ow, false, 1);
                d.Add(m, ih, iw, oh, ow, true, 1);
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Interp_ParallelKernel_MatchesPerPixelReference(string method, int inH, int inW, int outH, int outW, bool alignCorners, int alignMode)
    {
        var rng = new Random(42);
        int n = 2, c = 3;
        var x = RandomFloats(rng, n * c * inH * inW);
        var y = Run($"{method}_interp_v2", a =>
        {
            a.Set("out_h", (long)outH); a.Set("out_w", (long)outW); a.Set("scale", Array.Empty<double>());
            a.Set("interp_method", method); a.Set("align_corners", alignCorners); a.Set("align_mode", (long)alignMode); a.Set("data_layout", "NCHW");
        }, [("X", F(x, n, c, inH, inW))], ["Out"], threads: 2)[0];
        Assert.Equal([n, c, outH, outW], y.Shape.ToArray());
        float rh = outH > 1 ? (alignCorners ? (float)(inH - 1) / (outH - 1) : (float)inH / outH) : 0f;
        float rw = outW > 1 ? (alignCorners ? (float)(inW - 1) / (outW - 1) : (float)inW / outW) : 0f;
        var expected = new float[n * c * outH * outW];
        var m = method switch { "nearest" => InterpMethod.Nearest, "bilinear" => InterpMethod.Bilinear, _ => InterpMethod.Bicubic };
        InterpKernelBase.Reference(m, alignCorners, alignMode, x, n * c, inH, inW, outH, outW, rh, rw, expected);
        TensorAssert.Close(F(expected, n, c, outH, outW), y, 1e-6, 1e-6, $"{method} {inH}x{inW}->{outH}x{outW} ac {alignCorners} am {alignMode}");
    }

    [Fact]
    public void Interp_SizePriority_SizeTensorBeatsOutSizeBeatsScale()
    {
        var x = F(new float[2 * 3], 1, 1, 2, 3);
        void Attrs(PaddleNet.Model.AttributeMap a) { a.Set("out_h", 5L); a.Set("out_w", 5L); a.Set("scale", new double[] { 2.0, 2.0 }); a.Set("align_corners", false); }
        Assert.Equal([1, 1, 4, 6], Run("nearest_interp_v2", Attrs, [("X", x)], ["Out"])[0].Shape.ToArray());
        Assert.Equal([1, 1, 3, 9], Run("nearest_interp_v2", Attrs, [("X", x), ("Scale", Tensor.FromSpan<float>([1.5f, 3f], [2]))], ["Out"])[0].Shape.ToArray());
        Assert.Equal([1, 1, 7, 2], Run("nearest_interp_v2", Attrs, [("X", x), ("Scale", Tensor.FromSpan<float>([1.5f, 3f], [2])), ("OutSize", Tensor.FromSpan<int>([7, 2], [2]))], ["Out"])[0].Shape.ToArray());
        Assert.Equal([1, 1, 1, 8], Run("nearest_interp_v2", Attrs,
            [("X", x), ("OutSize", Tensor.FromSpan<int>([7, 2], [2])), ("SizeTensor", Tensor.FromSpan<int>([1], [1])), ("SizeTensor", Tensor.FromSpan<long>([8], [1]))], ["Out"])[0].Shape.ToArray());
    }

    [Fact]
    public void Bilinear_Nhwc_EqualsNchwOfTranspose()
    {
        var rng = new Random(42);
        int n = 1, c = 3, h = 5, w = 4, oh = 9, ow = 7;
        var x = RandomFloats(rng, n * c * h * w);
        var xh = new float[x.Length];
        for (int ch = 0; ch < c; ch++) for (int k = 0; k < h * w; k++) xh[k * c + ch] = x[ch * h * w + k];
        void Attrs(PaddleNet.Model.AttributeMap a) { a.Set("out_h", (long)oh); a.Set("out_w", (long)ow); a.Set("align_corners", false); a.Set("align_mode", 0L); }
        var yc = Run("bilinear_interp_v2", a => { Attrs(a); a.Set("data_layout", "NCHW"); }, [("X", F(x, n, c, h, w))], ["Out"])[0].AsSpan<float>().ToArray();
        var yh = Run("bilinear_interp_v2", a => { Attrs(a); a.Set("data_layout", "NHWC"); }, [("X", F(xh, n, h, w, c))], ["Out"])[0].AsSpan<float>().ToArray();
        for (int ch = 0; ch < c; ch++) for (int k = 0; k < oh * ow; k++) Assert.Equal(yc[ch * oh * ow + k], yh[k * c + ch]);
    }

    [Fact]
    public void PixelShuffle_R2_MovesChannelsToSpace()
    {
        var x = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
        var y = Run("pixel_shuffle", a => a.Set("upscale_factor", 2L), [("X", F(x, 1, 8, 1, 1))], ["Out"])[0];
        Assert.Equal([1, 2, 2, 2], y.Shape.ToArray());
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], y.AsSpan<float>().ToArray());
        var x2 = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var y2 = Run("pixel_shuffle", a => a.Set("upscale_factor", 2L), [("X", F(x2, 1, 4, 2, 2))], ["Out"])[0];
        // out[0,0,h*2+i,w*2+j] = x[0, i*2+j, h, w]
        Assert.Equal([0f, 4f, 1f, 5f, 8f, 12f, 9f, 13f, 2f, 6f, 3f, 7f, 10f, 14f, 11f, 15f], y2.AsSpan<float>().ToArray());
    }
}
