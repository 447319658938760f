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
        d["anchor_generator"] = AnchorGeneratorKernel.Create;
        d["generate_proposals"] = GenerateProposalsKernel.CreateV1;
        d["generate_proposals_v2"] = GenerateProposalsKernel.CreateV2;
        d["roi_align"] = RoiAlignKernel.Create;
        d["box_clip"] = BoxClipKernel.Create;
        d["collect_fpn_proposals"] = CollectFpnProposalsKernel.Create;
        d["distribute_fpn_proposals"] = DistributeFpnProposalsKernel.Create;
        d["lod_reset"] = LodResetKernel.Create;
        d["sequence_expand"] = SequenceExpandKernel.Create;
    }
}
