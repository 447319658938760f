using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle op dequantize_linear: Y = float32(X) * scale / max_range, max_range = qmax (or 2^(bit_length-1) - 1),
/// per tensor (quant_axis -1) or per channel of quant_axis. X may be stored as int8 (weights) or float.
/// ZeroPoint is ignored, as Paddle's kernels do; only_observer copies X.
/// </summary>
internal sealed class DequantizeLinearKernel(int x, int scale, int y, int axis, int maxRange, bool observer) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        int axis = b.Attrs.GetInt("quant_axis", 0);
        if (axis < -1) throw b.Unsupported($"attribute 'quant_axis' = {axis} (-1 per tensor, or a channel axis)");
        return new DequantizeLinearKernel(b.RequiredInput("X"), b.RequiredInput("Scale"), b.RequiredOutput("Y"), axis, QuantCore.BinCount(b), b.Attrs.GetBool("only_observer", false));
    }

    public override void Execute(RunContext ctx)
    {
        var shape = ctx.Shape(x);
        if (observer)
        {
            ctx.CopyValue(x, y, shape);
            return;
        }
        var dst = ctx.Allocate<float>(y, shape);
        ReadOnlySpan<float> src;
        if (ctx.Type(x) == DataType.Float32)
        {
            src = ctx.Read<float>(x);
        }
        else
        {
            // int8 / int16 / float64 storage: widen in place in the output buffer first.
            for (int i = 0; i < dst.Length; i++) dst[i] = (float)ctx.ReadDouble(x, i);
            src = dst;
        }
        Span<float> scratch = stackalloc float[QuantCore.MaxScratch];
        var scales = QuantCore.Floats(ctx, scale, scratch, "dequantize_linear Scale");
        if (axis >= 0) QuantCore.CheckChannels(ctx, x, axis, scales.Length, "dequantize_linear");
        QuantCore.Dequantize(src, dst, shape, axis, scales, maxRange);
    }
}
