using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>anchor_generator against test_anchor_generator_op.py's anchor_generator_in_python (evaluated in double).</summary>
public sealed class AnchorGeneratorTests
{
    /// <summary>The numpy oracle: per cell, ratios outer and sizes inner; base sides rounded (np.round; no exact halves here).</summary>
    internal static (float[] Anchors, float[] Variances) Oracle(int h, int w, double[] sizes, double[] ratios, double[] variances, double[] stride, double offset)
    {
        int a = sizes.Length * ratios.Length;
        var anchors = new float[h * w * a * 4];
        var vars = new float[h * w * a * 4];
        int k = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double xc = x * stride[0] + offset * (stride[0] - 1);
                double yc = y * stride[1] + offset * (stride[1] - 1);
                foreach (var ar in ratios)
                {
                    foreach (var size in sizes)
                    {
                        double baseW = Math.Round(Math.Sqrt(stride[0] * stride[1] / ar));
                        double baseH = Math.Round(baseW * ar);
                        double aw = size / stride[0] * baseW, ah = size / stride[1] * baseH;
                        for (int j = 0; j < 4; j++) vars[k + j] = (float)variances[j];
                        anchors[k++] = (float)(xc - 0.5 * (aw - 1));
                        anchors[k++] = (float)(yc - 0.5 * (ah - 1));
                        anchors[k++] = (float)(xc + 0.5 * (aw - 1));
                        anchors[k++] = (float)(yc + 0.5 * (ah - 1));
                    }
                }
            }
        }
        return (anchors, vars);
    }

    [Theory]
    [InlineData(2, 3, new double[] { 64, 128, 256, 512 }, new double[] { 0.5, 1, 2 }, new double[] { 16, 16 }, 0.5)]
    [InlineData(5, 4, new double[] { 16, 32 }, new double[] { 0.5, 1 }, new double[] { 16, 8 }, 0.3)]
    [InlineData(1, 1, new double[] { 32 }, new double[] { 3 }, new double[] { 4, 4 }, 0.5)]
    public void Anchors_MatchNumpyOracle(int h, int w, double[] sizes, double[] ratios, double[] stride, double offset)
    {
        double[] variances = [0.1, 0.1, 0.2, 0.2];
        var r = Run("anchor_generator", new()
        {
            ["anchor_sizes"] = sizes, ["aspect_ratios"] = ratios, ["variances"] = variances, ["stride"] = stride, ["offset"] = offset,
        }, new() { ["Input"] = F(new float[2 * 3 * h * w], 2, 3, h, w) }, ["Anchors", "Variances"]);
        var (anchors, vars) = Oracle(h, w, sizes, ratios, variances, stride, offset);
        int a = sizes.Length * ratios.Length;
        TensorAssert.Close(F(anchors, h, w, a, 4), r["Anchors"], OracleTolerances.Abs, OracleTolerances.Rel, "anchor_generator Anchors");
        Assert.Equal(vars, r["Variances"].AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData("stride", new double[] { 16 })]
    [InlineData("variances", new double[] { 1, 1 })]
    [InlineData("anchor_sizes", new double[] { })]
    [InlineData("aspect_ratios", new double[] { 0 })]
    public void BadAttribute_RefusedAtLoad(string attr, double[] value)
    {
        var e = Assert.Throws<UnsupportedOperatorException>(() => Run("anchor_generator", new() { [attr] = value },
            new() { ["Input"] = F(new float[4], 1, 1, 2, 2) }, ["Anchors", "Variances"]));
        Assert.Contains(attr, e.Message);
    }
}
