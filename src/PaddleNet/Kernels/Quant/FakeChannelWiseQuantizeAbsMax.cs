using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle ops fake_channel_wise_quantize_abs_max and fake_channel_wise_quantize_dequantize_abs_max: each channel
/// of quant_axis (0 or 1, default 0) is quantized with its own abs-max (OutScale, one per channel).
/// round_type default 1 (ties away from zero).
/// </summary>
internal sealed class FakeChannelWiseQuantizeAbsMaxKernel(int x, int output, int outScale, int axis, int binCnt, int roundType, bool dequantize) : Kernel
{
    public static KernelFactory Factory(bool dequantize) => b =>
    {
        int axis = b.Attrs.GetInt("quant_axis", 0);
        if (axis is not (0 or 1)) throw b.Unsupported($"attribute 'quant_axis' = {axis} (Paddle allows 0 or 1)");
        return new FakeChannelWiseQuantizeAbsMaxKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Output("OutScale"), axis, QuantCore.BinCount(b), QuantCore.RoundType(b, 1), dequantize);
    };

    public override void Execute(RunContext ctx)
    {
        var shape = ctx.Shape(x);
        if (axis >= shape.Length) throw new ShapeMismatchException("X", $"rank > {axis} (quant_axis)", $"rank {shape.Length}");
        int channels = shape[axis];
        var src = ctx.Read<float>(x);
        Span<float> scales = outScale >= 0 ? ctx.Allocate<float>(outScale, [channels]) : new float[channels];
        QuantCore.ChannelAbsMax(src, shape, axis, scales);
        QuantCore.QuantizeChannels(src, ctx.Allocate<float>(output, shape), shape, axis, scales, binCnt, roundType, dequantize);
    }
}
