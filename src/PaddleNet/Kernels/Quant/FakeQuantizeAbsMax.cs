using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle ops fake_quantize_abs_max and fake_quantize_dequantize_abs_max: the scale is X's abs-max (OutScale, [1]);
/// Out = X quantized (and dequantized back for the second). round_type default 1 (ties away from zero).
/// </summary>
internal sealed class FakeQuantizeAbsMaxKernel(int x, int output, int outScale, int binCnt, int roundType, bool dequantize) : Kernel
{
    public static KernelFactory Factory(bool dequantize) => b =>
        new FakeQuantizeAbsMaxKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Output("OutScale"), QuantCore.BinCount(b), QuantCore.RoundType(b, 1), dequantize);

    public override void Execute(RunContext ctx)
    {
        var src = ctx.Read<float>(x);
        float s = QuantCore.AbsMax(src);
        QuantCore.Quantize(src, ctx.Allocate<float>(output, ctx.Shape(x)), s, binCnt, roundType, dequantize);
        if (outScale >= 0) ctx.Allocate<float>(outScale, [1])[0] = s;
    }
}
