using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>bilinear_interp_v2</c> (PIR <c>bilinear_interp</c>): 2-D bilinear resize of a 4-D float32 X (align_mode 0 without align_corners = half-pixel, source clamped at 0); size/ratio rules,
/// attributes and inputs in <see cref="InterpKernelBase"/> (formats.md §5.8).
/// </summary>
internal sealed class BilinearInterpV2Kernel : InterpKernelBase
{
    private BilinearInterpV2Kernel(KernelBuilder b) : base(b, InterpMethod.Bilinear) { }

    public static Kernel Create(KernelBuilder b) => new BilinearInterpV2Kernel(b);
}
