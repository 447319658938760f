using PaddleNet.Kernels.ControlFlow;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    /// <summary>Ops with a sub-block: compiled by <see cref="PlanBuilder"/> into nested step lists, not through a factory.</summary>
    public static readonly IReadOnlySet<string> ControlFlowOps = new HashSet<string>(StringComparer.Ordinal) { "while", "conditional_block" };

    static partial void RegisterControlFlow(Dictionary<string, KernelFactory> d)
    {
        d["write_to_array"] = WriteToArrayKernel.Create;
        d["read_from_array"] = ReadFromArrayKernel.Create;
        d["lod_array_length"] = ArrayLengthKernel.Create;
        d["array_length"] = ArrayLengthKernel.Create;
        d["tensor_array_to_tensor"] = TensorArrayToTensorKernel.Create;
        d["increment"] = IncrementKernel.Create;
        d["select_input"] = SelectInputKernel.Create;
        d["select_output"] = SelectOutputKernel.Create;
        d["create_array"] = CreateArrayKernel.Create;
    }
}
