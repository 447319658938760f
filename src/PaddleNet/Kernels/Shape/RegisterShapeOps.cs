using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

internal static partial class KernelRegistry
{
    static partial void RegisterShapeOps(Dictionary<string, KernelFactory> d)
    {
        d["reshape2"] = Reshape2Kernel.Create;
        d["reshape"] = Reshape2Kernel.Create;
        d["transpose2"] = Transpose2Kernel.Create;
        d["transpose"] = Transpose2Kernel.Create;
        d["flatten_contiguous_range"] = FlattenContiguousRangeKernel.Create;
        d["flatten2"] = Flatten2Kernel.Create;
        d["flatten"] = Flatten2Kernel.Create;
        d["squeeze2"] = Squeeze2Kernel.Create;
        d["squeeze"] = Squeeze2Kernel.Create;
        d["unsqueeze2"] = Unsqueeze2Kernel.Create;
        d["unsqueeze"] = Unsqueeze2Kernel.Create;
        d["concat"] = ConcatKernel.Create;
        d["split"] = SplitKernel.Create;
        d["stack"] = StackKernel.Create;
        d["unstack"] = UnstackKernel.Create;
        d["slice"] = SliceKernel.Create;
        d["strided_slice"] = StridedSliceKernel.Create;
        d["flip"] = FlipKernel.Create;
        d["expand_v2"] = ExpandV2Kernel.Create;
        d["tile"] = TileKernel.Create;
        d["gather"] = GatherKernel.Create;
        d["index_select"] = GatherKernel.CreateIndexSelect;
        d["gather_nd"] = GatherNdKernel.Create;
        d["roll"] = RollKernel.Create;
        d["pad"] = PadKernel.Create;
        d["pad3d"] = Pad3dKernel.Create;
        d["shuffle_channel"] = ShuffleChannelKernel.Create;
        d["shape"] = ShapeKernel.Create;
        d["set_value"] = SetValueKernel.Create;
        d["unbind"] = UnbindKernel.Create;
        d["expand"] = ExpandKernel.Create;
        d["expand_as_v2"] = ExpandAsV2Kernel.Create;
        d["meshgrid"] = MeshgridKernel.Create;
        d["tril_triu"] = TrilTriuKernel.Create;
        d["partial_concat"] = PartialConcatKernel.Create;
        d["partial_sum"] = PartialSumKernel.Create;
        d["where_index"] = WhereIndexKernel.Create;
        d["take_along_axis"] = TakeAlongAxisKernel.Create;
        d["index_sample"] = IndexSampleKernel.Create;
        d["scatter"] = ScatterKernel.Create;
        d["scatter_nd_add"] = ScatterNdAddKernel.Create;
        d["repeat_interleave"] = RepeatInterleaveKernel.Create;
        d["unique"] = UniqueKernel.Create;
        d["temporal_shift"] = TemporalShiftKernel.Create;
    }
}
