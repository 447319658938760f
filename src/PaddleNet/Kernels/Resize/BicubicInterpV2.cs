using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Resize;

/// <summary>
/// Paddle <c>bicubic_interp_v2</c> (PIR <c>bicubic_interp</c>): 2-D bicubic resize of a 4-D float32 X (Keys kernel A = −0.75, taps clamped to the border); size/ratio rules,
/// attributes and inputs in <see cref="InterpKernelBase"/> (formats.md §5.8).
/// </summary>
internal sealed class BicubicInterpV2Kernel : InterpKernelBase
{
    private BicubicInterpV2Kernel(KernelBuilder b) : base(b, InterpMethod.Bicubic) { }

    public static Kernel Create(KernelBuilder b) => new BicubicInterpV2Kernel(b);
}
