using PaddleNet.Kernels.Quant;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterQuant(Dictionary<string, KernelFactory> d)
    {
        d["quantize_linear"] = QuantizeLinearKernel.Create;
        d["dequantize_linear"] = DequantizeLinearKernel.Create;
        d["fake_quantize_abs_max"] = FakeQuantizeAbsMaxKernel.Factory(dequantize: false);
        d["fake_quantize_dequantize_abs_max"] = FakeQuantizeAbsMaxKernel.Factory(dequantize: true);
        d["fake_channel_wise_quantize_abs_max"] = FakeChannelWiseQuantizeAbsMaxKernel.Factory(dequantize: false);
        d["fake_channel_wise_quantize_dequantize_abs_max"] = FakeChannelWiseQuantizeAbsMaxKernel.Factory(dequantize: true);
        d["fake_quantize_moving_average_abs_max"] = FakeQuantizeMovingAverageAbsMaxKernel.Factory(dequantize: false, range: false);
        d["fake_quantize_dequantize_moving_average_abs_max"] = FakeQuantizeMovingAverageAbsMaxKernel.Factory(dequantize: true, range: false);
        d["fake_quantize_range_abs_max"] = FakeQuantizeMovingAverageAbsMaxKernel.Factory(dequantize: false, range: true);
        d["moving_average_abs_max_scale"] = MovingAverageAbsMaxScaleKernel.Create;
        d["fake_dequantize_max_abs"] = FakeDequantizeMaxAbsKernel.Create;
        d["fake_channel_wise_dequantize_max_abs"] = FakeChannelWiseDequantizeMaxAbsKernel.Create;
    }
}
