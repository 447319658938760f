using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle op assign on a tensor array (the plan picks this form when X is an array): Out becomes an element-wise copy of X.</summary>
internal sealed class AssignArrayKernel(int source, int target) : Kernel
{
    public override void Execute(RunContext ctx) => ctx.Array(target).CopyFrom(ctx.Array(source));
}
