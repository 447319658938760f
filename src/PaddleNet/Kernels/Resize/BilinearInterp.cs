using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle 1.x <c>bilinear_interp</c> (v1, PaddleX 1.x / PaddleSeg 1.x exports): as <see cref="BilinearInterpV2Kernel"/> except that
/// <c>scale</c> is one float and the source ratio is always in/out (align_corners: (in−1)/(out−1)); see <see cref="InterpKernelBase"/>.
/// </summary>
internal sealed class BilinearInterpKernel : InterpKernelBase
{
    private BilinearInterpKernel(KernelBuilder b) : base(b, InterpMethod.Bilinear, v1: true) { }

    public static Kernel Create(KernelBuilder b) => new BilinearInterpKernel(b);
}
