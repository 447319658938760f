using PaddleNet.Kernels.Detection;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterDetection(Dictionary<string, KernelFactory> d)
    {
        d["prior_box"] = PriorBoxKernel.Create;
        d["box_coder"] = BoxCoderKernel.Create;
        d["yolo_box"] = YoloBoxKernel.Create;
        d["multiclass_nms"] = MulticlassNmsKernel.CreateV1;
        d["multiclass_nms3"] = MulticlassNmsKernel.CreateV3;
        d["matrix_nms"] = MatrixNmsKernel.Create;
    }
}
