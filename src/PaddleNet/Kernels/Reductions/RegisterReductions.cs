using PaddleNet.Kernels.Norm;
using PaddleNet.Kernels.Reductions;
using PaddleNet.Kernels.Resize;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    /// <summary>Reductions, normalisation and resize.</summary>
    static partial void RegisterReductions(Dictionary<string, KernelFactory> d)
    {
        d["reduce_sum"] = ReduceSumKernel.Create;
        d["reduce_mean"] = ReduceMeanKernel.Create;
        d["reduce_max"] = ReduceMaxKernel.Create;
        d["reduce_min"] = ReduceMinKernel.Create;
        d["reduce_prod"] = ReduceProdKernel.Create;
        d["reduce_any"] = ReduceAnyKernel.Create;
        d["reduce_all"] = ReduceAllKernel.Create;
        d["logsumexp"] = LogsumexpKernel.Create;
        d["mean"] = MeanKernel.Create;
        d["arg_max"] = ArgMaxKernel.Create;
        d["arg_min"] = ArgMinKernel.Create;
        d["top_k_v2"] = TopKV2Kernel.Create;
        d["top_k"] = TopKKernel.Create;
        d["argsort"] = ArgsortKernel.Create;
        d["cumsum"] = CumSumKernel.Create;
        d["p_norm"] = PNormKernel.Create;
        d["norm"] = NormKernel.Create;
        d["batch_norm"] = BatchNormKernel.Create;
        d["layer_norm"] = LayerNormKernel.Create;
        d["group_norm"] = GroupNormKernel.Create;
        d["instance_norm"] = InstanceNormKernel.Create;
        d["nearest_interp_v2"] = NearestInterpV2Kernel.Create;
        d["bilinear_interp_v2"] = BilinearInterpV2Kernel.Create;
        d["bicubic_interp_v2"] = BicubicInterpV2Kernel.Create;
        d["nearest_interp"] = NearestInterpKernel.Create;
        d["bilinear_interp"] = BilinearInterpKernel.Create;
        d["pixel_shuffle"] = PixelShuffleKernel.Create;
        d["grid_sampler"] = GridSamplerKernel.Create;
        d["affine_channel"] = AffineChannelKernel.Create;
        d["data_norm"] = DataNormKernel.Create;
        d["linear_interp_v2"] = LinearNdInterpKernel.CreateLinear;
        d["trilinear_interp_v2"] = LinearNdInterpKernel.CreateTrilinear;
    }
}
