using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Norm;

/// <summary>
/// Paddle <c>affine_channel</c> (X2Paddle's folded normalisation): X, Scale [C], Bias [C] → Out = X·Scale[c] + Bias[c],
/// c the channel dim (1 for <c>data_layout</c> NCHW, the last for NHWC). float32.
/// </summary>
internal sealed class AffineChannelKernel : Kernel
{
    private readonly int _x, _scale, _bias, _out;
    private readonly bool _nhwc;

    private AffineChannelKernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _scale = b.RequiredInput("Scale");
        _bias = b.RequiredInput("Bias");
        _out = b.RequiredOutput("Out");
        var layout = b.Attrs.GetString("data_layout", "NCHW");
        _nhwc = layout switch
        {
            "NCHW" or "AnyLayout" => false,
            "NHWC" => true,
            _ => throw b.Unsupported($"data_layout '{layout}'"),
        };
    }

    public static Kernel Create(KernelBuilder b) => new AffineChannelKernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        if (xs.Length < 2) throw new ShapeMismatchException("affine_channel X", "rank >= 2", xs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "affine_channel");
        int ca = _nhwc ? xs.Length - 1 : 1;
        int c = xs[ca];
        var scale = ctx.Read<float>(_scale);
        var bias = ctx.Read<float>(_bias);
        if (scale.Length != c || bias.Length != c) throw new ShapeMismatchException("affine_channel Scale/Bias", $"{c} channels", $"{scale.Length}/{bias.Length}", "affine_channel");
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_out, xs);
        long inner = DataMove.Product(xs, ca + 1);
        for (int i = 0; i < x.Length; i++)
        {
            int ch = (int)(i / inner % c);
            y[i] = x[i] * scale[ch] + bias[ch];
        }
    }
}
