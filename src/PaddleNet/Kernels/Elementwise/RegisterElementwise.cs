using PaddleNet.Kernels.Elementwise;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterElementwise(Dictionary<string, KernelFactory> d)
    {
        d["elementwise_add"] = ElementwiseAddKernel.Create;
        d["elementwise_sub"] = ElementwiseSubKernel.Create;
        d["elementwise_mul"] = ElementwiseMulKernel.Create;
        d["elementwise_div"] = ElementwiseDivKernel.Create;
        d["elementwise_max"] = ElementwiseMaxKernel.Create;
        d["elementwise_min"] = ElementwiseMinKernel.Create;
        d["elementwise_pow"] = ElementwisePowKernel.Create;
        d["elementwise_floordiv"] = ElementwiseFloorDivKernel.Create;
        d["elementwise_mod"] = ElementwiseModKernel.Create;
        d["equal"] = EqualKernel.Create;
        d["not_equal"] = NotEqualKernel.Create;
        d["less_than"] = LessThanKernel.Create;
        d["less_equal"] = LessEqualKernel.Create;
        d["greater_than"] = GreaterThanKernel.Create;
        d["greater_equal"] = GreaterEqualKernel.Create;
        d["logical_and"] = LogicalAndKernel.Create;
        d["logical_or"] = LogicalOrKernel.Create;
        d["logical_xor"] = LogicalXorKernel.Create;
        d["logical_not"] = LogicalNotKernel.Create;
        d["where"] = WhereKernel.Create;
        d["cast"] = CastKernel.Create;
        d["scale"] = ScaleKernel.Create;
        d["clip"] = ClipKernel.Create;
        d["assign"] = AssignKernel.Create;
        d["dropout"] = DropoutKernel.Create;
        d["bitwise_and"] = BitwiseAndKernel.Create;
        d["bitwise_or"] = BitwiseOrKernel.Create;
        d["bitwise_xor"] = BitwiseXorKernel.Create;
        d["bitwise_not"] = BitwiseNotKernel.Create;
        d["atan2"] = Atan2Kernel.Create;
        d["sum"] = SumKernel.Create;
    }
}
