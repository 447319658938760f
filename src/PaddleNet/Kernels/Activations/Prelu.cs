using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle op prelu: Out = X &gt; 0 ? X : α·X with α from input Alpha. Attributes mode ("all": one α;
/// "channel": α per channel, dim 1 for NCHW, last dim for NHWC; "element": α per element of
/// X[0], broadcast over the batch) and data_format ("NCHW"). X, Alpha float32.
/// </summary>
internal sealed class PreluKernel(int x, int alpha, int output, int mode, bool nhwc) : Kernel
{
    private const int All = 0, Channel = 1, Element = 2;

    public static Kernel Create(KernelBuilder b)
    {
        int mode = b.Attrs.GetString("mode", "all") switch
        {
            "all" => All,
            "channel" => Channel,
            "element" => Element,
            var m => throw b.Unsupported($"prelu mode '{m}'"),
        };
        bool nhwc = b.Attrs.GetString("data_format", "NCHW") == "NHWC";
        return new PreluKernel(b.RequiredInput("X"), b.RequiredInput("Alpha"), b.RequiredOutput("Out"), mode, nhwc);
    }

    public override void Execute(RunContext ctx)
    {
        var shape = ctx.Shape(x);
        var xs = ctx.Read<float>(x);
        var a = ctx.Read<float>(alpha);
        var y = ctx.Allocate<float>(output, shape);
        long channels = 1, inner = 1;
        switch (mode)
        {
            case All:
                inner = Math.Max(1, xs.Length);
                channels = 1;
                break;
            case Channel:
                if (shape.Length < 2) throw new ShapeMismatchException("prelu X", "rank >= 2 for channel mode", $"rank {shape.Length}", "prelu");
                int cdim = nhwc ? shape.Length - 1 : 1;
                channels = shape[cdim];
                inner = 1;
                for (int d = cdim + 1; d < shape.Length; d++) inner *= shape[d];
                break;
            case Element:
                inner = 1;
                channels = 1;
                for (int d = 1; d < shape.Length; d++) channels *= shape[d];
                break;
        }
        long need = mode == All ? 1 : channels;
        if (a.Length < need) throw new ShapeMismatchException("prelu Alpha", $"{need} elements", $"{a.Length}", "prelu");
        Reference(xs, a, y, channels, inner);
    }

    /// <summary>y[i] = x[i] &gt; 0 ? x[i] : α[(i / inner) % channels]·x[i].</summary>
    public static void Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> alpha, Span<float> y, long channels, long inner)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0 ? v : alpha[(int)(i / inner % channels)] * v;
        }
    }
}
