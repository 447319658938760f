using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_any</c> (PIR <c>any</c>): Out = OR of X over <c>dim</c> (see <see cref="BoolReduceKernel{TOp}"/>).
/// X bool (any non-zero byte is true); Out bool.
/// </summary>
internal sealed class ReduceAnyKernel : BoolReduceKernel<AnyB>
{
    private ReduceAnyKernel(KernelBuilder b) : base(b, "reduce_any") { }

    public static Kernel Create(KernelBuilder b) => new ReduceAnyKernel(b);
}
