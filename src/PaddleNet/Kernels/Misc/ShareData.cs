using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>Paddle <c>share_data</c> (PIR <c>share_data_</c>): X → Out, the same values (Paddle aliases the buffer; we copy, kernels never write inputs).</summary>
internal sealed class ShareDataKernel(int x, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new ShareDataKernel(b.RequiredInput("X"), b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx) => ctx.CopyValue(x, output, ctx.Shape(x));
}
