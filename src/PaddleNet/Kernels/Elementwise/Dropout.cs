using PaddleNet.Kernels.Activations;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>
/// Paddle op dropout at inference: dropout_implementation "upscale_in_train" → Out = X;
/// "downgrade_in_infer" (the op default) → Out = X·(1 − dropout_prob). Attributes dropout_prob (0.5),
/// dropout_implementation (PIR mode). X float32 → Out; the Mask output is not produced.
/// </summary>
internal sealed class DropoutKernel(int x, int output, bool identity, float keep) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        string impl = b.Attrs.GetString("dropout_implementation", "downgrade_in_infer");
        bool identity = impl switch
        {
            "upscale_in_train" => true,
            "downgrade_in_infer" => false,
            _ => throw b.Unsupported($"dropout_implementation '{impl}'"),
        };
        float p = b.Attrs.GetFloat("dropout_prob", 0.5f);
        return new DropoutKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), identity, 1f - p);
    }

    public override void Execute(RunContext ctx)
    {
        if (identity) ctx.CopyValue(x, output, ctx.Shape(x));
        else UnaryDriver.Run(ctx, x, output, new ScaleOp { Scale = keep, Bias = 0f, BiasAfter = true }, "dropout");
    }
}
