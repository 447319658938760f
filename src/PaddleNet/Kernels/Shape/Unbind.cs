using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>unbind</c> (PIR <c>unbind</c>): X → Out[], the slices of X along attribute <c>axis</c> (default 0, negative
/// counts from the end) with that dim removed; exactly <see cref="UnstackKernel"/> with its results in slot Out. Any dtype.
/// </summary>
internal static class UnbindKernel
{
    public static Kernel Create(KernelBuilder b) => UnstackKernel.Create(b, "Out");
}
