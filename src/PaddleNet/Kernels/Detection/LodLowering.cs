using PaddleNet.Model;

namespace PaddleNet.Kernels.Detection;

/// <summary>
/// Makes a legacy program's LoD (level-of-detail: per-image row counts riding on a tensor) explicit, as Paddle's own
/// v2 detection ops do with <c>RoisNum</c> tensors. PaddleNet's values carry no LoD, so at load this pass traces
/// which value describes each tensor's rows: <c>generate_proposals</c> gets its <c>RpnRoisNum</c> output, which then
/// feeds <c>collect_fpn_proposals</c> (MultiLevelRoIsNum → RoisNum), <c>distribute_fpn_proposals</c> (RoisNum →
/// MultiLevelRoIsNum), <c>roi_align</c>, <c>box_clip</c>, <c>multiclass_nms</c> (RoisNum), <c>lod_reset</c> and
/// <c>sequence_expand</c>; ops that keep their first input's rows (element-wise, activations, <c>mul</c>/<c>fc</c>,
/// <c>softmax</c>, <c>box_coder</c>'s TargetBox, a <c>reshape2</c> keeping dimension 0, …) pass the counts on, as
/// Paddle's ShareLoD does; any other op drops them. Slots that are already wired (v2 forms, PIR) are left alone.
/// Only the main block is traced; the rewritten ops are copies, the program is never changed.
/// </summary>
internal static class LodLowering
{
    /// <summary>Ops whose output (first output slot) shares the LoD of the named input, as their InferShape ShareLoD does.</summary>
    private static string? SharedFrom(Operator op) => op.Type switch
    {
        "mul" or "matmul" or "matmul_v2" or "softmax" or "scale" or "cast" or "dropout" or "assign" or "clip" or "relu" or "relu6"
            or "sigmoid" or "tanh" or "leaky_relu" or "swish" or "hard_swish" or "hard_sigmoid" or "exp" or "log" or "sqrt" or "abs"
            or "elementwise_add" or "elementwise_sub" or "elementwise_mul" or "elementwise_div" or "elementwise_max" or "elementwise_min"
            or "elementwise_pow" or "lod_reset" or "paddlenet.alias" => "X",
        "fc" => "Input",
        "box_coder" => "TargetBox",
        "box_clip" => "Input",
        _ => null,
    };

    /// <summary>The ops with LoD made explicit; <paramref name="ops"/> itself when no op needs it. <paramref name="index"/>
    /// (op → index as written, for error messages) learns each copy's index.</summary>
    public static List<Operator> Apply(List<Operator> ops, Block main, Dictionary<Operator, int> index)
    {
        if (!ops.Any(o => o.Type is "generate_proposals" or "generate_proposals_v2" or "collect_fpn_proposals" or "distribute_fpn_proposals" or "lod_reset" or "sequence_expand"))
        {
            return ops;
        }
        var lod = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<Operator>(ops.Count);
        foreach (var original in ops)
        {
            Operator? copy = null;
            Operator Edit() => copy ??= Copy(original, index);
            string? Of(string? name) => name is not null && lod.TryGetValue(name, out var c) ? c : null;
            string Fresh(string name) => name + "@paddlenet.rois_num";
            var op = original;
            var outs = op.Outputs.Values.SelectMany(a => a).ToArray();
            string? shared = null;
            bool handled = true;
            switch (op.Type)
            {
                case "generate_proposals" or "generate_proposals_v2":
                {
                    var num = op.Output("RpnRoisNum");
                    if (num is null) Edit().Outputs["RpnRoisNum"] = [num = Fresh(op.Output("RpnRois") ?? "rpn")];
                    foreach (var n in outs) lod.Remove(n);
                    if (op.Output("RpnRois") is { } r) lod[r] = num;
                    if (op.Output("RpnRoiProbs") is { } p) lod[p] = num;
                    break;
                }
                case "collect_fpn_proposals":
                {
                    var rois = op.InputList("MultiLevelRois");
                    if (op.InputList("MultiLevelRoIsNum").Length == 0 && rois.Length > 0 && rois.All(r => Of(r) is not null))
                    {
                        Edit().Inputs["MultiLevelRoIsNum"] = rois.Select(r => Of(r)!).ToArray();
                    }
                    var num = op.Output("RoisNum");
                    if (num is null) Edit().Outputs["RoisNum"] = [num = Fresh(op.Output("FpnRois") ?? "fpn")];
                    foreach (var n in outs) lod.Remove(n);
                    if (op.Output("FpnRois") is { } f) lod[f] = num;
                    break;
                }
                case "distribute_fpn_proposals":
                {
                    if (op.Input("RoisNum") is null && Of(op.Input("FpnRois")) is { } c) Edit().Inputs["RoisNum"] = [c];
                    var levels = op.OutputList("MultiFpnRois");
                    var nums = op.OutputList("MultiLevelRoIsNum");
                    if (nums.Length == 0)
                    {
                        nums = levels.Select(Fresh).ToArray();
                        Edit().Outputs["MultiLevelRoIsNum"] = nums;
                    }
                    foreach (var n in outs) lod.Remove(n);
                    for (int l = 0; l < levels.Length && l < nums.Length; l++) lod[levels[l]] = nums[l];
                    break;
                }
                case "roi_align" or "roi_pool" or "psroi_pool" or "prroi_pool":
                    if (op.Input("RoisNum") is null && Of(op.Input("ROIs")) is { } rc) Edit().Inputs["RoisNum"] = [rc];
                    handled = false;
                    break;
                case "multiclass_nms" or "multiclass_nms2" or "multiclass_nms3":
                    if (op.Input("RoisNum") is null && (Of(op.Input("Scores")) ?? Of(op.Input("BBoxes"))) is { } mc) Edit().Inputs["RoisNum"] = [mc];
                    handled = false;
                    break;
                case "box_clip":
                    if (Of(op.Input("Input")) is { } bc) Edit().Inputs[BoxClipKernel.RoisNumSlot] = [bc];
                    handled = false;
                    break;
                case "lod_reset":
                {
                    foreach (var n in outs) lod.Remove(n);
                    if (op.Input("Y") is { } y && Of(y) is { } yc)
                    {
                        if (op.Output("Out") is { } o) lod[o] = yc;
                    }
                    else if (op.Output("Out") is { } o)
                    {
                        var num = Fresh(o);
                        Edit().Outputs[LodResetKernel.CountsSlot] = [num];
                        lod[o] = num;
                    }
                    break;
                }
                case "sequence_expand":
                    if (Of(op.Input("Y")) is { } sc) Edit().Inputs[SequenceExpandKernel.CountsSlot] = [sc];
                    if (Of(op.Input("X")) is not null) Edit().Attributes.Set(SequenceExpandKernel.XHasLodAttr, true);
                    foreach (var n in outs) lod.Remove(n);
                    break;
                default:
                    handled = false;
                    break;
            }
            if (!handled)
            {
                var slot = SharedFrom(op);
                if (op.Type == "reshape2" && KeepsRows(op, main)) slot = "X";
                shared = slot is null ? null : Of(op.Input(slot));
                foreach (var n in outs) lod.Remove(n);
                var first = op.Outputs.Count > 0 ? (op.Output("Out") ?? op.Output("Output") ?? op.Output("OutputBox") ?? op.Outputs.Values.First().FirstOrDefault()) : null;
                if (shared is not null && first is not null) lod[first] = shared;
            }
            result.Add(copy ?? original);
        }
        return result;
    }

    /// <summary>reshape2 shares X's LoD when dimension 0 stays: shape [0 or −1, …] whose other dims multiply to X's declared row size.</summary>
    private static bool KeepsRows(Operator op, Block main)
    {
        if (op.Input("Shape") is not null || op.InputList("ShapeTensor").Length > 0) return false;
        var shape = op.Attributes.GetLongs("shape");
        if (shape.Length < 1 || shape[0] is not (0 or -1) || op.Input("X") is not { } x || !main.Vars.TryGetValue(x, out var v) || v.Dims.Length < 1) return false;
        long row = 1, target = 1;
        for (int i = 1; i < v.Dims.Length; i++)
        {
            if (v.Dims[i] <= 0) return false;
            row *= v.Dims[i];
        }
        for (int i = 1; i < shape.Length; i++)
        {
            if (shape[i] <= 0) return false;
            target *= shape[i];
        }
        return row == target;
    }

    private static Operator Copy(Operator op, Dictionary<Operator, int> index)
    {
        var c = new Operator(op.Type);
        foreach (var (k, v) in op.Inputs) c.Inputs[k] = v;
        foreach (var (k, v) in op.Outputs) c.Outputs[k] = v;
        foreach (var (k, v) in op.Attributes.All) c.Attributes.Set(k, v);
        if (index.TryGetValue(op, out var i)) index[c] = i;
        return c;
    }
}
