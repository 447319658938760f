using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle legacy <c>expand</c> (v1, before expand_v2): X (, ExpandTimes 1-D tensor, expand_times_tensor list) → Out, X
/// repeated <c>expand_times</c>[i] times along dim i: numpy tile, which <see cref="TileKernel"/> computes. Any dtype.
/// </summary>
internal static class ExpandKernel
{
    public static Kernel Create(KernelBuilder b) => TileKernel.Create(b, "ExpandTimes", "expand_times_tensor", "expand_times");
}
