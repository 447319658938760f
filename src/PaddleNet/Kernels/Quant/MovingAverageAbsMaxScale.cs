using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle op moving_average_abs_max_scale: an observer; Out = X. In the training form (is_test false) it also
/// writes OutState = rate * InState + 1, OutAccum = rate * InAccum + abs-max(X), OutScale = OutAccum / OutState.
/// </summary>
internal sealed class MovingAverageAbsMaxScaleKernel(int x, int inAccum, int inState, int output, int outScale, int outState, int outAccum, bool isTest, float rate) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        bool isTest = b.Attrs.GetBool("is_test", false);
        if (!isTest && (b.Input("InAccum") < 0 || b.Input("InState") < 0)) throw b.Unsupported("attribute 'is_test' = false needs InAccum and InState");
        return new MovingAverageAbsMaxScaleKernel(b.RequiredInput("X"), b.Input("InAccum"), b.Input("InState"), b.Output("Out"), b.Output("OutScale"), b.Output("OutState"), b.Output("OutAccum"), isTest, b.Attrs.GetFloat("moving_rate", 0.9f));
    }

    public override void Execute(RunContext ctx)
    {
        if (output >= 0) ctx.CopyValue(x, output, ctx.Shape(x));
        if (isTest) return;
        float state = rate * (float)ctx.ReadDouble(inState, 0) + 1;
        float accum = rate * (float)ctx.ReadDouble(inAccum, 0) + QuantCore.AbsMax(ctx.Read<float>(x));
        if (outState >= 0) ctx.Allocate<float>(outState, [1])[0] = state;
        if (outAccum >= 0) ctx.Allocate<float>(outAccum, [1])[0] = accum;
        if (outScale >= 0) ctx.Allocate<float>(outScale, [1])[0] = accum / state;
    }
}
