using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>PIR op create_array: Out becomes an empty tensor array (inside a loop body, a fresh one on every pass).</summary>
internal sealed class CreateArrayKernel(int array) : Kernel
{
    public static Kernel Create(KernelBuilder b) => new CreateArrayKernel(b.RequiredOutput("Out"));

    public override void Execute(RunContext ctx) => ctx.Array(array).Clear();
}
