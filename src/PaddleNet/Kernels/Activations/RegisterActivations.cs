using PaddleNet.Kernels.Activations;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterActivations(Dictionary<string, KernelFactory> d)
    {
        d["abs"] = AbsKernel.Create;
        d["ceil"] = CeilKernel.Create;
        d["floor"] = FloorKernel.Create;
        d["round"] = RoundKernel.Create;
        d["cos"] = CosKernel.Create;
        d["sin"] = SinKernel.Create;
        d["erf"] = ErfKernel.Create;
        d["exp"] = ExpKernel.Create;
        d["log"] = LogKernel.Create;
        d["reciprocal"] = ReciprocalKernel.Create;
        d["rsqrt"] = RsqrtKernel.Create;
        d["sqrt"] = SqrtKernel.Create;
        d["square"] = SquareKernel.Create;
        d["sign"] = SignKernel.Create;
        d["relu"] = ReluKernel.Create;
        d["relu6"] = Relu6Kernel.Create;
        d["leaky_relu"] = LeakyReluKernel.Create;
        d["prelu"] = PreluKernel.Create;
        d["elu"] = EluKernel.Create;
        d["selu"] = SeluKernel.Create;
        d["sigmoid"] = SigmoidKernel.Create;
        d["tanh"] = TanhKernel.Create;
        d["silu"] = SiluKernel.Create;
        d["swish"] = SwishKernel.Create;
        d["mish"] = MishKernel.Create;
        d["softplus"] = SoftplusKernel.Create;
        d["hard_swish"] = HardSwishKernel.Create;
        d["hard_sigmoid"] = HardSigmoidKernel.Create;
        d["gelu"] = GeluKernel.Create;
        d["softmax"] = SoftmaxKernel.Create;
        d["log_softmax"] = SoftmaxKernel.CreateLog;
        d["pow"] = PowKernel.Create;
        d["softmax_with_cross_entropy"] = SoftmaxWithCrossEntropyKernel.Create;
        d["acos"] = AcosKernel.Create;
        d["asin"] = AsinKernel.Create;
        d["atan"] = AtanKernel.Create;
        d["cosh"] = CoshKernel.Create;
        d["sinh"] = SinhKernel.Create;
        d["tan"] = TanKernel.Create;
        d["log2"] = Log2Kernel.Create;
        d["log10"] = Log10Kernel.Create;
        d["log1p"] = Log1pKernel.Create;
        d["logsigmoid"] = LogSigmoidKernel.Create;
        d["brelu"] = BreluKernel.Create;
        d["hard_shrink"] = HardShrinkKernel.Create;
        d["softshrink"] = SoftshrinkKernel.Create;
        d["softsign"] = SoftsignKernel.Create;
        d["tanh_shrink"] = TanhShrinkKernel.Create;
        d["thresholded_relu"] = ThresholdedReluKernel.Create;
    }
}
