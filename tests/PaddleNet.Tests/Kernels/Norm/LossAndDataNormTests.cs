using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Norm;

/// <summary>softmax_with_cross_entropy and data_norm against the numpy references of their Paddle op tests.</summary>
public sealed class LossAndDataNormTests
{
    [Theory]
    [InlineData(-1, false)]
    [InlineData(1, false)]
    [InlineData(-1, true)]
    public void SoftmaxWithCrossEntropy_MatchesNumpy(int axis, bool soft)
    {
        var rng = new Random(1);
        int[] shape = [3, 5, 4];
        var logits = OpHarness.Floats(rng, shape);
        int a = axis < 0 ? axis + 3 : axis;
        int n = shape[a];
        int outer = shape.Take(a).Aggregate(1, (p, d) => p * d), inner = shape.Skip(a + 1).Aggregate(1, (p, d) => p * d);
        var lshape = (int[])shape.Clone();
        lshape[a] = 1;
        Tensor label;
        if (soft)
        {
            var raw = Enumerable.Range(0, 60).Select(_ => rng.NextDouble()).ToArray();
            var norm = new float[60];
            for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++)
                {
                    double s = Enumerable.Range(0, n).Sum(j => raw[(o * n + j) * inner + i]);
                    for (int j = 0; j < n; j++) norm[(o * n + j) * inner + i] = (float)(raw[(o * n + j) * inner + i] / s);
                }
            label = Tensor.FromSpan<float>(norm, shape);
        }
        else
        {
            var ids = Enumerable.Range(0, outer * inner).Select(i => i == 2 ? -100L : rng.Next(0, n)).ToArray();
            label = Tensor.FromSpan<long>(ids, lshape);
        }
        var h = new OpHarness("softmax_with_cross_entropy").Input("Logits", logits).Input("Label", label).Output("Softmax").Output("Loss").Attr("axis", (long)axis).Attr("soft_label", soft);
        var sm = h.Run1("Softmax");
        var loss = h.Run1("Loss");
        var x = logits.AsSpan<float>().ToArray();
        var eSm = new float[60];
        var eLoss = new float[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double sum = Enumerable.Range(0, n).Sum(j => Math.Exp(x[(o * n + j) * inner + i]));
                for (int j = 0; j < n; j++) eSm[(o * n + j) * inner + i] = (float)(Math.Exp(x[(o * n + j) * inner + i]) / sum);
                if (soft) eLoss[o * inner + i] = (float)-Enumerable.Range(0, n).Sum(j => label.AsSpan<float>()[(o * n + j) * inner + i] * Math.Log(Math.Exp(x[(o * n + j) * inner + i]) / sum));
                else
                {
                    long id = label.AsSpan<long>()[o * inner + i];
                    eLoss[o * inner + i] = id == -100 ? 0 : (float)-Math.Log(Math.Exp(x[(o * n + (int)id) * inner + i]) / sum);
                }
            }
        TensorAssert.Close(Tensor.FromSpan<float>(eSm, shape), sm, OracleTolerances.Abs, OracleTolerances.Rel, "softmax");
        TensorAssert.Close(Tensor.FromSpan<float>(eLoss, lshape), loss, OracleTolerances.Abs, OracleTolerances.Rel, "loss");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataNorm_MatchesNumpy(bool affine)
    {
        var rng = new Random(2);
        var x = OpHarness.Floats(rng, 4, 3);
        var size = Tensor.FromSpan<float>([1e4f, 2e4f, 5e3f], [3]);
        var sum = Tensor.FromSpan<float>([10f, -30f, 2f], [3]);
        var sq = Tensor.FromSpan<float>([1e4f, 4e4f, 1e3f], [3]);
        var sw = Tensor.FromSpan<float>([2f, 0.5f, -1f], [3]);
        var bias = Tensor.FromSpan<float>([0.1f, 0.2f, 0.3f], [3]);
        var h = new OpHarness("data_norm").Input("X", x).Input("BatchSize", size).Input("BatchSum", sum).Input("BatchSquareSum", sq).Output("Y").Output("Means").Output("Scales").Attr("enable_scale_and_shift", affine);
        if (affine) h.Input("scale_w", sw).Input("bias", bias);
        var y = h.Run1("Y");
        var xv = x.AsSpan<float>().ToArray();
        var e = new float[12];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
            {
                double mean = sum.AsSpan<float>()[j] / (double)size.AsSpan<float>()[j];
                double scale = Math.Sqrt(size.AsSpan<float>()[j] / (double)sq.AsSpan<float>()[j]);
                double v = (xv[i * 3 + j] - mean) * scale;
                if (affine) v = v * sw.AsSpan<float>()[j] + bias.AsSpan<float>()[j];
                e[i * 3 + j] = (float)v;
            }
        TensorAssert.Close(Tensor.FromSpan<float>(e, [4, 3]), y, OracleTolerances.Abs, OracleTolerances.Rel, "data_norm");
    }
}
