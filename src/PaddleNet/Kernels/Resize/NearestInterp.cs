using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle 1.x <c>nearest_interp</c> (v1, FPN R-CNN exports): as <see cref="NearestInterpV2Kernel"/> except that <c>scale</c> is one
/// float and the source ratio is always in/out (align_corners: (in−1)/(out−1)); see <see cref="InterpKernelBase"/>.
/// </summary>
internal sealed class NearestInterpKernel : InterpKernelBase
{
    private NearestInterpKernel(KernelBuilder b) : base(b, InterpMethod.Nearest, v1: true) { }

    public static Kernel Create(KernelBuilder b) => new NearestInterpKernel(b);
}
