using PaddleNet.Kernels.Detection;
using PaddleNet.Kernels.Lite;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    /// <summary>Ops that occur only in Paddle Lite <c>.nb</c> programs (or that only Lite files in the collection use).</summary>
    static partial void RegisterLite(Dictionary<string, KernelFactory> d)
    {
        d["calib"] = CalibKernel.Create;
        d["density_prior_box"] = DensityPriorBoxKernel.Create;
        d["multiclass_nms2"] = MulticlassNmsKernel.CreateV2;
        d["fill_constant_batch_size_like"] = FillConstantBatchSizeLikeKernel.Create;
        d["rnn"] = RnnLstmKernel.Create;
        foreach (var op in new[] { "add", "sub", "mul", "div", "max", "min", "pow" })
        {
            d[$"fusion_elementwise_{op}_activation"] = FusionElementwiseActivationKernel.Factory($"elementwise_{op}");
        }
    }
}
