using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>nearest_interp_v2</c> (PIR <c>nearest_interp</c>): 2-D nearest resize of a 4-D float32 X (source = (int)(ratio·dst), +0.5 with align_corners; align_mode ignored); size/ratio rules,
/// attributes and inputs in <see cref="InterpKernelBase"/> (formats.md §5.8).
/// </summary>
internal sealed class NearestInterpV2Kernel : InterpKernelBase
{
    private NearestInterpV2Kernel(KernelBuilder b) : base(b, InterpMethod.Nearest) { }

    public static Kernel Create(KernelBuilder b) => new NearestInterpV2Kernel(b);
}
