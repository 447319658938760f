namespace PaddleNet.Model.Pir;

/// <summary>
/// A PIR "mutable attribute" operand (formats.md §3.8): folded into the legacy attribute
/// <see cref="Attr"/> when its producer is constant, else wired to a legacy tensor slot
/// (<see cref="TensorSlot"/> for one tensor, <see cref="ListSlot"/> for a list of scalars).
/// </summary>
internal sealed record MutableOperand(string Attr, string? TensorSlot = null, string? ListSlot = null, bool Scalar = false);

/// <summary>How one pd_op maps onto the legacy vocabulary: op type, operand slots, result slots, attribute renames.</summary>
internal sealed record PirOpSpec(
    string Legacy,
    string[] Inputs,
    string[] Outputs,
    MutableOperand[]? Mutables = null,
    (string From, string To)[]? Renames = null,
    Action<Operator>? Fix = null);

/// <summary>The pd_op → legacy op table. One line per op; PIR names are as written without the "1." prefix.</summary>
internal static class PirOpTable
{
    private static readonly string[] X = ["X"];
    private static readonly string[] XY = ["X", "Y"];
    private static readonly string[] Out = ["Out"];

    private static PirOpSpec Unary(string legacy, params (string, string)[] renames) => new(legacy, X, Out, null, renames);

    private static PirOpSpec Binary(string legacy) => new(legacy, XY, Out, null, null, op => op.Attributes.Set("axis", -1L));

    private static PirOpSpec Reduce(string legacy) => new(legacy, X, Out, [new("dim", TensorSlot: "AxisTensor")], [("keepdim", "keep_dim"), ("dtype", "out_dtype")],
        op => op.Attributes.Set("reduce_all", op.Attributes.GetLongs("dim").Length == 0));

    public static readonly IReadOnlyDictionary<string, PirOpSpec> Specs = new Dictionary<string, PirOpSpec>(StringComparer.Ordinal)
    {
        // element-wise unary
        ["abs"] = Unary("abs"),
        ["ceil"] = Unary("ceil"),
        ["cos"] = Unary("cos"),
        ["erf"] = Unary("erf"),
        ["exp"] = Unary("exp"),
        ["floor"] = Unary("floor"),
        ["log"] = Unary("log"),
        ["reciprocal"] = Unary("reciprocal"),
        ["relu"] = Unary("relu"),
        ["relu6"] = Unary("relu6"),
        ["rsqrt"] = Unary("rsqrt"),
        ["sigmoid"] = Unary("sigmoid"),
        ["sign"] = Unary("sign"),
        ["silu"] = Unary("silu"),
        ["sin"] = Unary("sin"),
        ["sqrt"] = Unary("sqrt"),
        ["square"] = Unary("square"),
        ["tanh"] = Unary("tanh"),
        ["swish"] = Unary("swish"),
        ["hardswish"] = Unary("hard_swish"),
        ["hardsigmoid"] = Unary("hard_sigmoid"),
        ["logical_not"] = Unary("logical_not"),
        ["mish"] = Unary("mish", ("lambda", "threshold")),
        ["elu"] = Unary("elu"),
        ["selu"] = Unary("selu"),
        ["softplus"] = Unary("softplus"),
        ["leaky_relu"] = Unary("leaky_relu", ("negative_slope", "alpha")),
        ["gelu"] = Unary("gelu"),
        ["softmax"] = Unary("softmax"),
        ["log_softmax"] = Unary("log_softmax"),
        ["round"] = Unary("round"),
        ["acos"] = Unary("acos"),
        ["asin"] = Unary("asin"),
        ["atan"] = Unary("atan"),
        ["cosh"] = Unary("cosh"),
        ["sinh"] = Unary("sinh"),
        ["tan"] = Unary("tan"),
        ["log2"] = Unary("log2"),
        ["log10"] = Unary("log10"),
        ["log1p"] = Unary("log1p"),
        ["logsigmoid"] = Unary("logsigmoid"),
        ["hardtanh"] = Unary("brelu"),
        ["hardshrink"] = Unary("hard_shrink"),
        ["softshrink"] = Unary("softshrink", ("threshold", "lambda")),
        ["softsign"] = Unary("softsign"),
        ["tanh_shrink"] = Unary("tanh_shrink"),
        ["thresholded_relu"] = Unary("thresholded_relu"),
        ["bitwise_not"] = Unary("bitwise_not"),
        ["bitwise_and"] = new("bitwise_and", XY, Out),
        ["bitwise_or"] = new("bitwise_or", XY, Out),
        ["bitwise_xor"] = new("bitwise_xor", XY, Out),
        ["atan2"] = new("atan2", ["X1", "X2"], Out),
        ["pow"] = Unary("pow", ("y", "factor")),
        ["flip"] = Unary("flip"),
        ["pixel_shuffle"] = Unary("pixel_shuffle"),
        ["shuffle_channel"] = Unary("shuffle_channel"),
        ["assign"] = Unary("assign"),
        ["cast"] = Unary("cast", ("dtype", "out_dtype")),
        ["transpose"] = new("transpose2", X, ["Out", "XShape"], null, [("perm", "axis")]),
        ["flatten"] = new("flatten_contiguous_range", X, ["Out", "XShape"]),
        ["shape"] = new("shape", ["Input"], Out),
        ["shape64"] = new("shape", ["Input"], Out),

        // element-wise binary (numpy broadcasting: legacy axis -1)
        ["add"] = Binary("elementwise_add"),
        ["subtract"] = Binary("elementwise_sub"),
        ["multiply"] = Binary("elementwise_mul"),
        ["divide"] = Binary("elementwise_div"),
        ["maximum"] = Binary("elementwise_max"),
        ["minimum"] = Binary("elementwise_min"),
        ["elementwise_pow"] = Binary("elementwise_pow"),
        ["floor_divide"] = Binary("elementwise_floordiv"),
        ["remainder"] = Binary("elementwise_mod"),
        ["equal"] = Binary("equal"),
        ["not_equal"] = Binary("not_equal"),
        ["less_than"] = Binary("less_than"),
        ["less_equal"] = Binary("less_equal"),
        ["greater_than"] = Binary("greater_than"),
        ["greater_equal"] = Binary("greater_equal"),
        ["logical_and"] = new("logical_and", XY, Out),
        ["logical_or"] = new("logical_or", XY, Out),
        ["logical_xor"] = new("logical_xor", XY, Out),
        ["bmm"] = new("bmm", XY, Out),
        ["matmul"] = new("matmul_v2", XY, Out, null, [("transpose_x", "trans_x"), ("transpose_y", "trans_y")]),
        ["where"] = new("where", ["Condition", "X", "Y"], Out),
        ["prelu"] = new("prelu", ["X", "Alpha"], Out),

        // convolution, normalisation, pooling
        ["conv2d"] = new("conv2d", ["Input", "Filter"], ["Output"]),
        ["depthwise_conv2d"] = new("depthwise_conv2d", ["Input", "Filter"], ["Output"]),
        ["conv2d_transpose"] = new("conv2d_transpose", ["Input", "Filter"], ["Output"], [new("output_size")]),
        ["depthwise_conv2d_transpose"] = new("depthwise_conv2d_transpose", ["Input", "Filter"], ["Output"], [new("output_size")]),
        ["batch_norm"] = BatchNorm,
        ["batch_norm_"] = BatchNorm,
        ["layer_norm"] = new("layer_norm", ["X", "Scale", "Bias"], ["Y", "Mean", "Variance"]),
        ["group_norm"] = new("group_norm", ["X", "Scale", "Bias"], ["Y", "Mean", "Variance"], null, [("data_format", "data_layout")]),
        ["instance_norm"] = new("instance_norm", ["X", "Scale", "Bias"], ["Y", "SavedMean", "SavedVariance"]),
        ["p_norm"] = Unary("p_norm"),
        ["pool2d"] = new("pool2d", X, Out, [new("ksize")], [("kernel_size", "ksize")]),
        ["max_pool2d_with_index"] = new("max_pool2d_with_index", X, ["Out", "Mask"], null, [("kernel_size", "ksize")]),

        // shapes and data movement
        ["reshape"] = new("reshape2", X, ["Out", "XShape"], [new("shape", "Shape", "ShapeTensor")]),
        ["squeeze"] = new("squeeze2", X, ["Out", "XShape"], [new("axes", "AxesTensor", "AxesTensorList")]),
        ["unsqueeze"] = new("unsqueeze2", X, ["Out", "XShape"], [new("axes", "AxesTensor", "AxesTensorList")]),
        ["concat"] = new("concat", X, Out, [new("axis", "AxisTensor", Scalar: true)]),
        ["split"] = new("split", X, Out, [new("sections", null, "SectionsTensorList"), new("axis", "AxisTensor", Scalar: true)], null, op => op.Attributes.Set("num", 0L)),
        ["split_with_num"] = new("split", X, Out, [new("axis", "AxisTensor", Scalar: true)]),
        ["slice"] = new("slice", ["Input"], Out, [new("starts", "StartsTensor", "StartsTensorList"), new("ends", "EndsTensor", "EndsTensorList")]),
        ["strided_slice"] = new("strided_slice", ["Input"], Out, [new("starts", "StartsTensor", "StartsTensorList"), new("ends", "EndsTensor", "EndsTensorList"), new("strides", "StridesTensor", "StridesTensorList")]),
        ["stack"] = new("stack", X, ["Y"]),
        ["unstack"] = new("unstack", X, ["Y"]),
        ["expand"] = new("expand_v2", X, Out, [new("shape", "Shape", "expand_shapes_tensor")]),
        ["tile"] = new("tile", X, Out, [new("repeat_times", "RepeatTimes", "repeat_times_tensor")]),
        ["gather"] = new("gather", ["X", "Index"], Out, [new("axis", "Axis", Scalar: true)]),
        ["gather_nd"] = new("gather_nd", ["X", "Index"], Out),
        ["index_select"] = new("index_select", ["X", "Index"], Out, null, [("axis", "dim")]),
        ["roll"] = new("roll", X, Out, [new("shifts", "ShiftsTensor")]),
        ["pad"] = new("pad", X, Out, [new("pad_value", Scalar: true)]),
        ["pad3d"] = new("pad3d", X, Out, [new("paddings", "Paddings")], [("pad_value", "value")]),
        ["clip"] = new("clip", X, Out, [new("min", "Min", Scalar: true), new("max", "Max", Scalar: true)]),
        ["scale"] = new("scale", X, Out, [new("scale", "ScaleTensor", Scalar: true)]),
        ["dropout"] = new("dropout", ["X", "Seed"], ["Out", "Mask"], [new("dropout_prob", Scalar: true)], [("mode", "dropout_implementation")]),
        ["topk"] = new("top_k_v2", X, ["Out", "Indices"], [new("k", "K", Scalar: true)]),
        ["argmax"] = new("arg_max", X, Out, [new("axis", Scalar: true)]),
        ["argmin"] = new("arg_min", X, Out, [new("axis", Scalar: true)]),
        ["cumsum"] = new("cumsum", X, Out, [new("axis", Scalar: true)]),
        ["mean"] = Reduce("reduce_mean"),
        ["sum"] = Reduce("reduce_sum"),
        ["max"] = Reduce("reduce_max"),
        ["min"] = Reduce("reduce_min"),
        ["prod"] = Reduce("reduce_prod"),
        ["any"] = new("reduce_any", X, Out, null, [("axis", "dim"), ("keepdim", "keep_dim")], op => op.Attributes.Set("reduce_all", op.Attributes.GetLongs("dim").Length == 0)),
        ["all"] = new("reduce_all", X, Out, null, [("axis", "dim"), ("keepdim", "keep_dim")], op => op.Attributes.Set("reduce_all", op.Attributes.GetLongs("dim").Length == 0)),
        ["nearest_interp"] = Interp("nearest_interp_v2"),
        ["bilinear_interp"] = Interp("bilinear_interp_v2"),
        ["bicubic_interp"] = Interp("bicubic_interp_v2"),
        ["linear_interp"] = Interp("linear_interp_v2"),
        ["trilinear_interp"] = Interp("trilinear_interp_v2"),

        // indexing, lookup, sampling (issue 13)
        ["set_value"] = SetValue(X),
        ["set_value_"] = SetValue(X),
        ["set_value_with_tensor"] = SetValue(["Input", "ValueTensor"]),
        ["set_value_with_tensor_"] = SetValue(["Input", "ValueTensor"]),
        ["one_hot"] = new("one_hot_v2", X, Out, [new("depth", "depth_tensor", Scalar: true)]),
        ["embedding"] = new("lookup_table_v2", ["Ids", "W"], Out),
        ["viterbi_decode"] = new("viterbi_decode", ["Input", "Transition", "Length"], ["Scores", "Path"]),
        ["grid_sample"] = new("grid_sampler", ["X", "Grid"], ["Output"]),
        ["affine_channel"] = new("affine_channel", ["X", "Scale", "Bias"], Out),
        ["assign_value_"] = new("assign_value", X, Out),
        ["empty"] = new("empty", [], Out, [new("shape", "ShapeTensor", "ShapeTensorList")]),
        ["eye"] = new("eye", [], Out, [new("num_rows", Scalar: true), new("num_columns", Scalar: true)]),
        ["linspace"] = new("linspace", ["Start", "Stop", "Num"], Out),
        ["gaussian"] = new("gaussian_random", [], Out, [new("shape", "ShapeTensor", "ShapeTensorList")]),
        ["numel"] = new("size", ["Input"], Out),
        ["share_data"] = Unary("share_data"),
        ["share_data_"] = Unary("share_data"),
        ["add_n"] = new("sum", X, Out),
        ["mean_all"] = Unary("mean"),
        ["logsumexp"] = Unary("logsumexp"),
        ["dist"] = new("dist", XY, Out),
        ["dot"] = new("dot", XY, Out),
        ["mv"] = new("mv", ["X", "Vec"], Out),
        ["unbind"] = new("unbind", ["X"], Out),
        ["expand_as"] = new("expand_as_v2", XY, Out),
        ["meshgrid"] = new("meshgrid", X, Out),
        ["tril"] = new("tril_triu", X, Out, null, null, op => op.Attributes.Set("lower", true)),
        ["triu"] = new("tril_triu", X, Out, null, null, op => op.Attributes.Set("lower", false)),
        ["nonzero"] = new("where_index", ["Condition"], Out),
        ["take_along_axis"] = new("take_along_axis", ["Input", "Index"], ["Result"], null, [("axis", "Axis")]),
        ["index_sample"] = new("index_sample", ["X", "Index"], Out),
        ["scatter"] = new("scatter", ["X", "Ids", "Updates"], Out),
        ["scatter_"] = new("scatter", ["X", "Ids", "Updates"], Out),
        ["scatter_nd_add"] = new("scatter_nd_add", ["X", "Index", "Updates"], Out),
        ["repeat_interleave"] = new("repeat_interleave", X, Out, null, [("repeats", "Repeats"), ("axis", "dim")]),
        ["repeat_interleave_with_tensor_index"] = new("repeat_interleave", ["X", "RepeatsTensor"], Out, null, [("axis", "dim")]),
        ["unique"] = new("unique", X, ["Out", "Indices", "Index", "Counts"]),
        ["temporal_shift"] = Unary("temporal_shift"),
        ["unfold"] = new("unfold", X, ["Y"]),
        ["argsort"] = new("argsort", X, ["Out", "Indices"]),
        ["conv3d"] = new("conv3d", ["Input", "Filter"], ["Output"]),
        ["pool3d"] = new("pool3d", X, Out, [new("ksize")], [("kernel_size", "ksize")]),
        ["max_pool3d_with_index"] = new("max_pool3d_with_index", X, ["Out", "Mask"], null, [("kernel_size", "ksize")]),
        ["deformable_conv"] = new("deformable_conv", ["Input", "Offset", "Filter", "Mask"], ["Output"]),
        ["einsum"] = new("einsum", ["Operands"], ["Out", "InnerCache", "XShape"]),
        ["cross_entropy_with_softmax"] = new("softmax_with_cross_entropy", ["Logits", "Label"], ["Softmax", "Loss"]),
        ["data_norm"] = new("data_norm", ["X", "scale_w", "bias", "BatchSize", "BatchSum", "BatchSquareSum"], ["Y", "Means", "Scales"]),

        // creation
        ["full"] = new("fill_constant", [], Out),
        ["full_like"] = new("fill_any_like", X, Out, [new("value", Scalar: true)]),
        ["full_with_tensor"] = new("fill_constant", ["ValueTensor"], Out, [new("shape", "ShapeTensor", "ShapeTensorList")]),
        ["arange"] = new("range", ["Start", "End", "Step"], Out),

        // detection
        ["prior_box"] = new("prior_box", ["Input", "Image"], ["Boxes", "Variances"]),
        ["box_coder"] = new("box_coder", ["PriorBox", "PriorBoxVar", "TargetBox"], ["OutputBox"]),
        ["multiclass_nms3"] = new("multiclass_nms3", ["BBoxes", "Scores", "RoisNum"], ["Out", "Index", "NmsRoisNum"]),
        ["matrix_nms"] = new("matrix_nms", ["BBoxes", "Scores"], ["Out", "Index", "RoisNum"]),
        ["roi_align"] = new("roi_align", ["X", "ROIs", "RoisNum"], Out),
        ["generate_proposals"] = new("generate_proposals_v2", ["Scores", "BboxDeltas", "ImShape", "Anchors", "Variances"], ["RpnRois", "RpnRoiProbs", "RpnRoisNum"], null, [("pre_nms_top_n", "pre_nms_topN"), ("post_nms_top_n", "post_nms_topN")]),
        ["distribute_fpn_proposals"] = new("distribute_fpn_proposals", ["FpnRois", "RoisNum"], ["MultiFpnRois", "MultiLevelRoIsNum", "RestoreIndex"]),
        ["box_clip"] = new("box_clip", ["Input", "ImInfo"], ["Output"]),
        ["yolo_box"] = new("yolo_box", ["X", "ImgSize"], ["Boxes", "Scores"]),

        // quantization (QDQ)
        ["quantize_linear"] = new("quantize_linear", ["X", "Scale", "ZeroPoint", "InAccum", "InState"], ["Y", "OutState", "OutAccum", "OutScale"]),
        ["dequantize_linear"] = new("dequantize_linear", ["X", "Scale", "ZeroPoint", "InAccum", "InState"], ["Y", "OutState", "OutAccum", "OutScale"]),

        // control flow (while/if, create_array, array_write_, array_read, select_input, assign_out_: PirProgramReader)
        ["increment"] = Unary("increment", ("value", "step")),
        ["increment_"] = Unary("increment", ("value", "step")),
        ["array_length"] = new("array_length", X, Out),
        ["array_to_tensor"] = new("tensor_array_to_tensor", X, ["Out", "OutIndex"]),
    };

    /// <summary>pd_ops that <see cref="PirProgramReader"/> lowers itself (regions, arrays updated in place), with the legacy type each becomes.</summary>
    public static readonly (string Pir, string Legacy)[] Lowered =
    [
        ("while", "while"), ("if", "conditional_block"), ("create_array", "create_array"), ("array_write_", "write_to_array"),
        ("array_read", "read_from_array"), ("select_input", "select_input"), ("assign_out_", "assign"),
    ];

    private static PirOpSpec BatchNorm => new("batch_norm", ["X", "Mean", "Variance", "Scale", "Bias"],
        ["Y", "MeanOut", "VarianceOut", "SavedMean", "SavedVariance", "ReserveSpace"], null, [("data_format", "data_layout")]);

    private static PirOpSpec SetValue(string[] inputs) => new("set_value", inputs.Length == 1 ? ["Input"] : inputs, Out,
        [new("starts", "StartsTensor", "StartsTensorList"), new("ends", "EndsTensor", "EndsTensorList"), new("steps", "StepsTensor", "StepsTensorList")]);

    private static PirOpSpec Interp(string legacy) => new(legacy, ["X", "OutSize", "SizeTensor", "Scale"], ["Out"], null, [("data_format", "data_layout")]);
}
