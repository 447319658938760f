using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterMisc(Dictionary<string, KernelFactory> d)
    {
        d["fill_constant"] = FillConstantKernel.Create;
        d["fill_any_like"] = FillAnyLikeKernel.Create;
        d["assign_value"] = AssignValueKernel.Create;
        d["range"] = RangeKernel.Create;
    }
}
