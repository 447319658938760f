using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>Paddle <c>arg_min</c> (PIR <c>argmin</c>): index of the first minimum along <c>axis</c>; see <see cref="ArgReduceKernelBase"/>.</summary>
internal sealed class ArgMinKernel : ArgReduceKernelBase
{
    private ArgMinKernel(KernelBuilder b) : base(b, max: false) { }

    public static Kernel Create(KernelBuilder b) => new ArgMinKernel(b);
}
