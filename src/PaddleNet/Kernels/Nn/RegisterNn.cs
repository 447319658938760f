using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterNn(Dictionary<string, KernelFactory> d)
    {
        d["conv2d"] = Conv2DKernel.Create;
        d["depthwise_conv2d"] = Conv2DKernel.Create;
        d["pool2d"] = Pool2DKernel.Create;
        d["max_pool2d_with_index"] = MaxPool2DWithIndexKernel.Create;
        d["matmul_v2"] = MatMulV2Kernel.Create;
        d["matmul"] = MatMulKernel.Create;
        d["bmm"] = BmmKernel.Create;
        d["mul"] = MulKernel.Create;
        d["fc"] = FcKernel.Create;
        d["conv2d_transpose"] = Conv2DTransposeKernel.Create;
        d["depthwise_conv2d_transpose"] = Conv2DTransposeKernel.Create;
        d["dist"] = DistKernel.Create;
        d["dot"] = DotKernel.Create;
        d["mv"] = MvKernel.Create;
        d["unfold"] = UnfoldKernel.Create;
        d["conv3d"] = Conv3DKernel.Create;
        d["pool3d"] = Pool3DKernel.Create;
        d["max_pool3d_with_index"] = MaxPool3DWithIndexKernel.Create;
        d["deformable_conv"] = DeformableConvKernel.Create;
        d["deformable_conv_v1"] = DeformableConvKernel.CreateV1;
        d["einsum"] = EinsumKernel.Create;
    }
}
