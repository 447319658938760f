using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle op quantize_linear (QDQ exports of PaddleSlim): Y = quantized X as float32 values, per tensor
/// (quant_axis -1, Scale one value) or per channel of quant_axis (Scale one value per channel);
/// round_type default 0 (ties to even). ZeroPoint is ignored, as Paddle's kernels do. With is_test false
/// (training form) the scale is the moving average (rate 0.9) of InAccum/InState and X's abs-max per
/// tensor, or X's channel abs-max per channel. only_observer copies X.
/// </summary>
internal sealed class QuantizeLinearKernel(int x, int scale, int accum, int state, int y, int axis, int binCnt, int roundType, bool isTest, bool observer) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        int axis = b.Attrs.GetInt("quant_axis", 0);
        if (axis < -1) throw b.Unsupported($"attribute 'quant_axis' = {axis} (-1 per tensor, or a channel axis)");
        bool isTest = b.Attrs.GetBool("is_test", true);
        if (!isTest && axis < 0 && (b.Input("InAccum") < 0 || b.Input("InState") < 0)) throw b.Unsupported("is_test = false per tensor needs InAccum and InState");
        return new QuantizeLinearKernel(b.RequiredInput("X"), b.RequiredInput("Scale"), b.Input("InAccum"), b.Input("InState"), b.RequiredOutput("Y"), axis,
            QuantCore.BinCount(b), QuantCore.RoundType(b, 0), isTest, b.Attrs.GetBool("only_observer", false));
    }

    public override void Execute(RunContext ctx)
    {
        var src = ctx.Read<float>(x);
        var shape = ctx.Shape(x);
        var dst = ctx.Allocate<float>(y, shape);
        if (observer)
        {
            src.CopyTo(dst);
            return;
        }
        Span<float> scratch = stackalloc float[QuantCore.MaxScratch];
        if (axis < 0)
        {
            float s = isTest ? QuantCore.Floats(ctx, scale, scratch, "quantize_linear Scale")[0] : MovingAverage(ctx, src);
            QuantCore.Quantize(src, dst, s, binCnt, roundType, dequantize: false);
            return;
        }
        ReadOnlySpan<float> scales = scratch;
        if (isTest)
        {
            scales = QuantCore.Floats(ctx, scale, scratch, "quantize_linear Scale");
        }
        else
        {
            if (axis >= shape.Length || shape[axis] > scratch.Length) throw new ShapeMismatchException("quantize_linear X", $"a quant_axis dimension of at most {scratch.Length} channels", $"[{string.Join(", ", shape.ToArray())}] with quant_axis {axis}");
            scratch = scratch[..shape[axis]];
            QuantCore.ChannelAbsMax(src, shape, axis, scratch);
            scales = scratch;
        }
        QuantCore.CheckChannels(ctx, x, axis, scales.Length, "quantize_linear");
        QuantCore.QuantizeChannels(src, dst, shape, axis, scales, binCnt, roundType, dequantize: false);
    }

    private float MovingAverage(RunContext ctx, ReadOnlySpan<float> src)
    {
        const float rate = 0.9f;
        float st = rate * (float)ctx.ReadDouble(state, 0) + 1;
        float acc = rate * (float)ctx.ReadDouble(accum, 0) + QuantCore.AbsMax(src);
        return acc / st;
    }
}
