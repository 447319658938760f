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
        d["one_hot_v2"] = OneHotV2Kernel.Create;
        d["lookup_table_v2"] = LookupTableKernel.CreateV2;
        d["lookup_table"] = LookupTableKernel.CreateV1;
        d["viterbi_decode"] = ViterbiDecodeKernel.Create;
        d["empty"] = EmptyKernel.Create;
        d["eye"] = EyeKernel.Create;
        d["linspace"] = LinspaceKernel.Create;
        d["fill_zeros_like"] = FillZerosLikeKernel.Create;
        d["fill_zeros_like2"] = FillZerosLikeKernel.Create;
        d["size"] = SizeKernel.Create;
        d["share_data"] = ShareDataKernel.Create;
        d["gaussian_random"] = GaussianRandomKernel.Create;
    }
}
