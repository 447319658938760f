using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Lite;

/// <summary>
/// Paddle Lite's fusion_elementwise_*_activation: act(op(X, Y)) with Lite's legacy axis broadcasting,
/// against the formula computed here. Tolerance 1e-6 absolute covers tanh/sigmoid implementations differing
/// in the last ulp; relu/abs/max/min results are exact.
/// </summary>
public sealed class FusionElementwiseActivationTests
{
    private static float Op(string op, float a, float b) => op switch
    {
        "add" => a + b, "sub" => a - b, "mul" => a * b, "div" => a / b, "max" => MathF.Max(a, b), "min" => MathF.Min(a, b), "pow" => MathF.Pow(a, b),
        _ => throw new ArgumentException(op),
    };

    private static float Act(string act, float v) => act switch
    {
        "relu" => MathF.Max(v, 0), "tanh" => MathF.Tanh(v), "sigmoid" => 1f / (1f + MathF.Exp(-v)), "abs" => MathF.Abs(v), "relu6" => MathF.Min(MathF.Max(v, 0), 6),
        _ => throw new ArgumentException(act),
    };

    [Theory]
    [InlineData("add", "relu")]
    [InlineData("sub", "relu")]
    [InlineData("mul", "tanh")]
    [InlineData("div", "sigmoid")]
    [InlineData("max", "abs")]
    [InlineData("min", "relu6")]
    [InlineData("pow", "relu")]
    public void Fused_EqualsActivationOfElementwise(string op, string act)
    {
        var rng = new Random(op.Length * 31 + act.Length);
        // X [2, 5, 3, 7] and Y [5] along axis 1 (a per-channel bias, the shape Lite's fuse pass sees); 7 hits SIMD remainders.
        var x = OpHarness.Floats(rng, 2, 5, 3, 7);
        var y = OpHarness.Floats(rng, 5);
        if (op is "div" or "pow")
        {
            var ys = y.AsSpan<float>();
            for (int i = 0; i < ys.Length; i++) ys[i] = 0.5f + MathF.Abs(ys[i]);
            if (op == "pow")
            {
                var xs = x.AsSpan<float>();
                for (int i = 0; i < xs.Length; i++) xs[i] = MathF.Abs(xs[i]);
            }
        }
        var outp = new OpHarness($"fusion_elementwise_{op}_activation").Input("X", x).Input("Y", y).Output("Out").Attr("axis", 1L).Attr("act_type", act).Run1();
        Assert.Equal(x.Shape.ToArray(), outp.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        var yv = y.AsSpan<float>().ToArray();
        var got = outp.AsSpan<float>();
        for (int i = 0; i < xv.Length; i++)
        {
            float expected = Act(act, Op(op, xv[i], yv[i / 21 % 5]));
            Assert.True(Math.Abs(got[i] - expected) <= 1e-6, $"[{i}] expected {expected}, got {got[i]}");
        }
    }

    [Fact]
    public void UnknownActType_IsRefusedAtLoad()
    {
        var rng = new Random(1);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new OpHarness("fusion_elementwise_add_activation").Input("X", OpHarness.Floats(rng, 2, 2)).Input("Y", OpHarness.Floats(rng, 2, 2))
            .Output("Out").Attr("axis", -1L).Attr("act_type", "gelu").Run1());
        Assert.Equal("fusion_elementwise_add_activation", e.OpType);
        Assert.Contains("act_type", e.Message);
    }

    /// <summary>
    /// The issue's "Why": the slim (int8, Lite 2.10) PP-OCR recogniser stopped with "fc inner dimension:
    /// expected 96, got 7680". It now runs at the recogniser's usual 32×320 input: 80 time steps of
    /// softmax over the 6625 classes. (No Lite reference exists for it: Lite's own ARM run returns zeros.)
    /// </summary>
    [Fact]
    public void SlimRecognizer_Lite210_RunsAt32x320()
    {
        using var session = new InferenceSession(SharedData.Path("models", "lite", "ppocr_v2.0_slim_lite2.10", "ch_ppocr_mobile_v2.0_rec_slim_opt.nb"));
        var rng = new Random(2);
        var x = new Tensor(DataType.Float32, [1, 3, 32, 320]);
        var xs = x.AsSpan<float>();
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = x })[0];
        Assert.Equal([1, 80, 6625], y.Shape.ToArray());
        var p = y.AsSpan<float>();
        for (int t = 0; t < 80; t++)
        {
            double sum = 0;
            for (int c = 0; c < 6625; c++)
            {
                Assert.True(float.IsFinite(p[t * 6625 + c]));
                sum += p[t * 6625 + c];
            }
            Assert.Equal(1.0, sum, 1e-3);
        }
    }
}
