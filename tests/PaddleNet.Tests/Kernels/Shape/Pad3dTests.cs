namespace PaddleNet.Tests.Kernels.Shape;

public sealed class Pad3dTests
{
    private static int Map(string mode, int i, int n) => mode switch
    {
        "reflect" => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i,
        "replicate" => Math.Clamp(i, 0, n - 1),
        "circular" => ((i % n) + n) % n,
        _ => i >= 0 && i < n ? i : -1,
    };

    [Theory]
    [InlineData("constant", "NCDHW")]
    [InlineData("reflect", "NCDHW")]
    [InlineData("replicate", "NCDHW")]
    [InlineData("circular", "NCDHW")]
    [InlineData("constant", "NDHWC")]
    [InlineData("reflect", "NDHWC")]
    [InlineData("circular", "NDHWC")]
    public void Execute_Modes_MatchDefinition(string mode, string format)
    {
        var rng = new Random(42);
        int n = 2, c = 3, d = 3, h = 4, w = 9;
        bool last = format == "NDHWC";
        int[] inShape = last ? [n, d, h, w, c] : [n, c, d, h, w];
        var x = OpHarness.Floats(rng, inShape);
        long[] p = [2, 1, 3, 2, 0, 1];
        var y = new OpHarness("pad3d").Input("X", x).Output("Out")
            .Attr("paddings", p).Attr("mode", mode).Attr("value", 0.25).Attr("data_format", format).Run1();
        int od = d + 1, oh = h + 5, ow = w + 3;
        Assert.Equal(last ? new[] { n, od, oh, ow, c } : new[] { n, c, od, oh, ow }, y.Shape.ToArray());
        var xs = x.AsSpan<float>();
        var ys = y.AsSpan<float>();
        for (long f = 0; f < ys.Length; f++)
        {
            var o = OpHarness.Unravel(f, y.Shape);
            int b = o[0], ch = last ? o[4] : o[1], z = last ? o[1] : o[2], yy = last ? o[2] : o[3], xx = last ? o[3] : o[4];
            int sz = Map(mode, z - 0, d), sy = Map(mode, yy - 3, h), sx = Map(mode, xx - 2, w);
            float expected = sz < 0 || sy < 0 || sx < 0 ? 0.25f
                : xs[(int)OpHarness.Ravel(last ? [b, sz, sy, sx, ch] : [b, ch, sz, sy, sx], inShape)];
            Assert.Equal(expected, ys[(int)f]);
        }
    }
}
