using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle ops fake_quantize_moving_average_abs_max, fake_quantize_dequantize_moving_average_abs_max and
/// fake_quantize_range_abs_max. Inference form (is_test true, what exported programs carry): Out = X quantized
/// (and dequantized) with InScale, OutScale = InScale. Training form of the moving-average ops: state =
/// rate * InState + 1, accum = rate * InAccum + abs-max(X), scale = accum / state (OutState, OutAccum, OutScale).
/// round_type default 1 (ties away from zero).
/// </summary>
internal sealed class FakeQuantizeMovingAverageAbsMaxKernel(int x, int inScale, int inAccum, int inState, int output, int outScale, int outState, int outAccum,
    int binCnt, int roundType, bool dequantize, bool isTest, float rate) : Kernel
{
    public static KernelFactory Factory(bool dequantize, bool range) => b =>
    {
        bool isTest = b.Attrs.GetBool("is_test", false);
        if (!isTest && range) throw b.Unsupported("attribute 'is_test' = false: the training form of range_abs_max (window of scales) is not supported");
        if (isTest && b.Input("InScale") < 0) throw b.Unsupported("input slot 'InScale' is missing");
        if (!isTest && (b.Input("InAccum") < 0 || b.Input("InState") < 0)) throw b.Unsupported("attribute 'is_test' = false needs InAccum and InState");
        return new FakeQuantizeMovingAverageAbsMaxKernel(b.RequiredInput("X"), b.Input("InScale"), b.Input("InAccum"), b.Input("InState"), b.RequiredOutput("Out"),
            b.Output("OutScale"), b.Output("OutState"), b.Output("OutAccum"), QuantCore.BinCount(b), QuantCore.RoundType(b, 1), dequantize, isTest, b.Attrs.GetFloat("moving_rate", 0.9f));
    };

    public override void Execute(RunContext ctx)
    {
        var src = ctx.Read<float>(x);
        float s;
        if (isTest)
        {
            s = (float)ctx.ReadDouble(inScale, 0);
        }
        else
        {
            float state = rate * (float)ctx.ReadDouble(inState, 0) + 1;
            float accum = rate * (float)ctx.ReadDouble(inAccum, 0) + QuantCore.AbsMax(src);
            s = accum / state;
            if (outState >= 0) ctx.Allocate<float>(outState, [1])[0] = state;
            if (outAccum >= 0) ctx.Allocate<float>(outAccum, [1])[0] = accum;
        }
        QuantCore.Quantize(src, ctx.Allocate<float>(output, ctx.Shape(x)), s, binCnt, roundType, dequantize);
        if (outScale >= 0) ctx.Allocate<float>(outScale, [1])[0] = s;
    }
}
