using System.Text.RegularExpressions;
using PaddleNet.Kernels;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels;

/// <summary>Coverage of Paddle2ONNX's op list (src/PaddleNet/Kernels/README.md): every op runs or is listed with a reason.</summary>
public sealed class OpCoverageTests
{
    /// <summary>REGISTER_MAPPER names under paddle2onnx/mapper/** at PaddlePaddle/Paddle2ONNX@3bb6cb880e332fa13bba1009bbf2274893ac913e.</summary>
    private static readonly string[] Paddle2OnnxOps =
    [
        "abs", "acos", "affine_channel", "arg_max", "arg_min", "argsort", "asin", "assign",
        "assign_value", "atan", "atan2", "batch_norm", "bicubic_interp_v2", "bilinear_interp", "bilinear_interp_v2", "bitwise_and",
        "bitwise_not", "bitwise_or", "bitwise_xor", "bmm", "brelu", "cast", "ceil", "clip",
        "concat", "conv2d", "conv2d_transpose", "conv3d", "cos", "cosh", "cumsum", "data_norm",
        "deformable_conv", "depthwise_conv2d", "depthwise_conv2d_transpose", "dequantize_linear", "dist", "dot", "dropout", "einsum",
        "elementwise_add", "elementwise_div", "elementwise_floordiv", "elementwise_max", "elementwise_min", "elementwise_mod", "elementwise_mul", "elementwise_pow",
        "elementwise_sub", "elu", "empty", "equal", "erf", "exp", "expand", "expand_as_v2",
        "expand_v2", "eye", "fill_any_like", "fill_constant", "fill_constant_batch_size_like", "fill_zeros_like", "flatten2", "flatten_contiguous_range",
        "flip", "floor", "gather", "gather_nd", "gaussian_random", "gelu", "greater_equal", "greater_than",
        "grid_sampler", "group_norm", "hard_shrink", "hard_sigmoid", "hard_swish", "index_sample", "index_select", "instance_norm",
        "layer_norm", "leaky_relu", "less_equal", "less_than", "linear_interp_v2", "linspace", "log", "log10",
        "log1p", "log2", "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor", "logsigmoid",
        "logsumexp", "lookup_table", "lookup_table_v2", "matmul", "matmul_v2", "max_pool2d_with_index", "max_pool3d_with_index", "mean",
        "meshgrid", "mish", "mul", "multiclass_nms3", "mv", "nearest_interp", "nearest_interp_v2", "norm",
        "not_equal", "one_hot_v2", "p_norm", "pad", "pad3d", "partial_concat", "partial_sum", "pixel_shuffle",
        "pool2d", "pool3d", "pow", "prelu", "quantize_linear", "range", "reciprocal", "reduce_all",
        "reduce_any", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "relu", "relu6",
        "repeat_interleave", "reshape2", "rnn", "roi_align", "roll", "round", "rsqrt", "scale",
        "scatter", "scatter_nd_add", "sel", "selu", "set_value", "shape", "share_data", "sigmoid",
        "sign", "silu", "sin", "sinh", "size", "slice", "softmax", "softmax_with_cross_entropy",
        "softplus", "softshrink", "softsign", "split", "sqrt", "square", "squeeze2", "stack",
        "strided_slice", "sum", "swish", "take_along_axis", "tan", "tanh", "tanh_shrink", "temporal_shift",
        "thresholded_relu", "tile", "top_k", "top_k_v2", "transpose2", "tril_triu", "trilinear_interp_v2", "unbind",
        "unfold", "unique", "unsqueeze2", "unstack", "where", "where_index", "yolo_box",
    ];

    private static Dictionary<string, string> NotRunTable()
    {
        var path = Path.Combine(SharedData.RepoRoot, "src", "PaddleNet", "Kernels", "README.md");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(File.ReadAllText(path), @"^\| `([a-z0-9_]+)` \| (.*) \|\s*$", RegexOptions.Multiline)) rows[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        return rows;
    }

    [Fact]
    public void EveryPaddle2OnnxOp_RunsOrIsListedWithAReason()
    {
        Assert.Equal(191, Paddle2OnnxOps.Distinct().Count());
        var table = NotRunTable();
        var unexplained = Paddle2OnnxOps.Where(op => !KernelRegistry.TryGet(op, out _) && !table.ContainsKey(op)).ToArray();
        Assert.True(unexplained.Length == 0, "neither registered nor in Kernels/README.md: " + string.Join(", ", unexplained));
        Assert.All(table, row => Assert.True(row.Value.Length > 10, $"{row.Key}: the reason is missing"));
    }

    [Fact]
    public void AtLeast95PercentOfPaddle2OnnxOps_Run()
    {
        int running = Paddle2OnnxOps.Count(op => KernelRegistry.TryGet(op, out _));
        Assert.True(running * 100 >= 95 * Paddle2OnnxOps.Length, $"{running} of {Paddle2OnnxOps.Length} run");
    }
}
