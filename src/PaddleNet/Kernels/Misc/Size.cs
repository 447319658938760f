using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>Paddle <c>size</c> (PIR <c>numel</c>): Input → Out, its element count as an int64 0-D tensor (Paddle ≥ 2.5 NumelInferMeta).</summary>
internal sealed class SizeKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new SizeKernel(b.RequiredInput("Input"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx) => ctx.Allocate<long>(output, [])[0] = ctx.ElementCount(x);
}
