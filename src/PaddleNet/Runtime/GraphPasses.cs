using System.Runtime.InteropServices;
using PaddleNet.Model;
using System.Runtime.CompilerServices;

namespace PaddleNet.Runtime;

/// <summary>
/// Load-time rewrites that keep Paddle's numbers while doing less work per run. They work on a copy
/// of the main block's op list and never change the model. Each pass states when it applies:
/// <list type="bullet">
/// <item>identities disappear: <c>dropout</c> with <c>upscale_in_train</c>, <c>scale</c> with scale 1 and bias 0, <c>assign</c>;</item>
/// <item>a per-channel constant bias add (elementwise_add, axis 1; or a constant [M] reshaped to [1, M, 1, 1] and added
/// with axis −1, as PIR exports write it) after a conv becomes the conv's Bias (the reshape goes too);</item>
/// <item>batch-norm folds into the (transposed) convolution before it when the conv output feeds only the BN and every
/// BN/conv weight is a constant fp32 parameter (the conv gets a folded filter and a Bias input);</item>
/// <item>a relu / relu6 / leaky_relu / hard_swish / hard_sigmoid whose X is a conv output read by nothing
/// else folds into the conv as <c>paddlenet_fused_activation</c> (+ alpha/beta): the conv applies the
/// same op's bit-identical vector form to its finished output (after its bias), so no number changes.</item>
/// <item>an <c>elementwise_add</c> of a conv output read by nothing else and another value of the same declared
/// shape folds into the conv (input <c>PaddlenetResidual</c>): the conv adds it after its bias, in the add's
/// operand order, before any fused activation (which may then fold too); a run-time shape mismatch is an error.</item>
/// <item>a squeeze-excitation scale, <c>elementwise_mul</c>(X [N,C,H,W], S [N,C,1,1]) read only by a 1×1 stride-1
/// unpadded ungrouped conv, folds into that conv (input <c>PaddlenetInputScale</c>): the conv multiplies each input
/// channel by S while packing its GEMM operand, the same single rounding x·s as the mul, so no number changes.</item>
/// <item>an <c>elementwise_mul</c> / <c>elementwise_add</c> of a conv output read by nothing else and a constant fp32
/// scalar (PP-LCNetV3's LearnableAffineBlock, before and after the activation) folds into the conv's epilogue
/// (<see cref="Kernels.Nn.ScalarAffine"/>): one multiply then one add on each side of the activation, each the op's
/// own rounding, so no number changes.</item>
/// </list>
/// </summary>
internal static class GraphPasses
{
    /// <summary>An op rewritten to "alias" copies nothing: its Out names the same value as its X.</summary>
    public const string Alias = "paddlenet.alias";

    public static (List<Operator> Ops, Dictionary<string, Tensor> Constants) Run(PaddleModel model)
    {
        var ops = new List<Operator>(model.Program.Main.Ops);
        var constants = new Dictionary<string, Tensor>(model.Parameters, StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++)
        {
            // An array's assign is a copy (the source may grow later), never an alias.
            if (IsIdentity(ops[i]) is { } input && !(model.Program.Main.Vars.TryGetValue(input, out var v) && v.Kind == VarKind.TensorArray))
            {
                // A hostile program can name the output slot otherwise ("Oet"): an identity with no output is broken.
                if (ops[i].Output("Out") is null)
                {
                    throw new ModelFormatException(model.Source, $"operator '{ops[i].Type}' (block 0, op #{i}) has no 'Out' output", field: ops[i].Type);
                }

                var alias = new Operator(Alias);
                alias.Inputs["X"] = [input];
                alias.Outputs["Out"] = [ops[i].Output("Out")!];
                ops[i] = alias;
            }
        }
        FoldConvBias(ops, constants);
        FoldBatchNorm(ops, constants);
        FuseConvResidual(ops, model.Program.Main.Vars);
        FuseConvScalarAffine(ops, constants);
        FuseConvActivation(ops);
        FuseConvScalarAffine(ops, constants);
        FuseConvInputScale(ops, model.Program.Main.Vars, constants);
        return (ops, constants);
    }

    private static string? IsIdentity(Operator op)
    {
        switch (op.Type)
        {
            case "dropout" when op.Attributes.GetString("dropout_implementation", "downgrade_in_infer") == "upscale_in_train":
            case "assign":
                return op.Input("X");
            case "scale" when op.Input("ScaleTensor") is null && op.Attributes.GetDouble("scale", 1) == 1 && op.Attributes.GetDouble("bias", 0) == 0:
                return op.Input("X");
            default:
                return null;
        }
    }

    /// <summary>How many times each value is read, and the index of the op that last writes it.</summary>
    /// <summary>A new operator of <paramref name="op"/>'s type with its inputs and attributes (outputs left to the caller): the fused op a pass writes in its place.</summary>
    private static Operator InputsAndAttributesOf(Operator op)
    {
        var copy = new Operator(op.Type);
        foreach (var (k, v) in op.Inputs) copy.Inputs[k] = v;
        foreach (var (k, v) in op.Attributes.All) copy.Attributes.Set(k, v);
        return copy;
    }

    /// <summary>Removes the operators at <paramref name="removed"/> (from the end, so the other indices hold).</summary>
    private static void RemoveOps(List<Operator> ops, HashSet<int> removed)
    {
        for (int i = ops.Count - 1; i >= 0; i--)
        {
            if (removed.Contains(i)) ops.RemoveAt(i);
        }
    }

    private static (Dictionary<string, int> Uses, Dictionary<string, int> Producer) UsesAndProducers(List<Operator> ops)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++)
        {
            foreach (var name in ops[i].Inputs.Values.SelectMany(a => a)) uses[name] = uses.GetValueOrDefault(name) + 1;
            foreach (var name in ops[i].Outputs.Values.SelectMany(a => a)) producer[name] = i;
        }
        return (uses, producer);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FoldBatchNorm(List<Operator> ops, Dictionary<string, Tensor> constants)
    {
        var (uses, producer) = UsesAndProducers(ops);
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var bn = ops[i];
            if (bn.Type != "batch_norm" || bn.Attributes.GetString("data_layout", "NCHW") != "NCHW") continue;
            var x = bn.Input("X");
            if (x is null || uses.GetValueOrDefault(x) != 1 || !producer.TryGetValue(x, out var ci) || removed.Contains(ci)) continue;
            var conv = ops[ci];
            bool transposed = conv.Type is "conv2d_transpose" or "depthwise_conv2d_transpose";
            if (conv.Type is not ("conv2d" or "depthwise_conv2d") && !transposed) continue;
            // A conv Bias (from FoldConvBias, or a Lite file) folds too when it is a constant.
            float[]? convBias = null;
            if (conv.Input("Bias") is { } cb && (!TryFloat(constants, cb, out convBias) || conv.InputList("Bias").Length != 1)) continue;
            if (conv.Attributes.GetString("data_format", "NCHW") is not ("NCHW" or "AnyLayout")) continue;
            if (!TryFloat(constants, conv.Input("Filter"), out var w) || !TryFloat(constants, bn.Input("Scale"), out var gamma)
                || !TryFloat(constants, bn.Input("Bias"), out var beta) || !TryFloat(constants, bn.Input("Mean"), out var mean)
                || !TryFloat(constants, bn.Input("Variance"), out var variance)) continue;
            var filter = constants[conv.Input("Filter")!];
            if (filter.Shape.Length != 4) continue;
            // Transposed filters are [C, M/groups, kh, kw]: out channel o = group·(M/groups) + og.
            int groups = transposed ? Math.Max(1, conv.Attributes.GetInt("groups", 1)) : 1;
            int outChannels = transposed ? filter.Shape[1] * groups : filter.Shape[0];
            if (transposed && filter.Shape[0] % groups != 0) continue;
            if (convBias is not null && convBias.Length != outChannels) continue;
            if (gamma.Length != outChannels || beta.Length != outChannels || mean.Length != outChannels || variance.Length != outChannels) continue;
            float eps = bn.Attributes.GetFloat("epsilon", 1e-5f);
            var folded = new float[w.Length];
            var bias = new float[outChannels];
            var scales = new float[outChannels];
            for (int c = 0; c < outChannels; c++)
            {
                // Same float32 arithmetic as the batch_norm kernel: scale = gamma / sqrt(var + eps).
                scales[c] = gamma[c] / MathF.Sqrt(variance[c] + eps);
                bias[c] = convBias is null ? beta[c] - mean[c] * scales[c] : beta[c] + (convBias[c] - mean[c]) * scales[c];
            }
            if (!transposed)
            {
                int per = w.Length / outChannels;
                for (int c = 0; c < outChannels; c++)
                {
                    for (int k = 0; k < per; k++) folded[c * per + k] = w[c * per + k] * scales[c];
                }
            }
            else
            {
                int inChannels = filter.Shape[0], mg = filter.Shape[1], taps = filter.Shape[2] * filter.Shape[3], cg = inChannels / groups;
                for (int ic = 0; ic < inChannels; ic++)
                {
                    for (int og = 0; og < mg; og++)
                    {
                        float s = scales[ic / cg * mg + og];
                        int at = (ic * mg + og) * taps;
                        for (int k = 0; k < taps; k++) folded[at + k] = w[at + k] * s;
                    }
                }
            }
            var filterName = $"{conv.Input("Filter")}@bn_folded#{i}";
            var biasName = $"{filterName}.bias";
            constants[filterName] = Tensor.FromSpan<float>(folded, filter.Shape);
            constants[biasName] = Tensor.FromSpan<float>(bias, [outChannels]);
            var fused = InputsAndAttributesOf(conv);
            fused.Inputs["Filter"] = [filterName];
            fused.Inputs["Bias"] = [biasName];
            fused.Outputs["Output"] = [bn.Output("Y")!];
            ops[ci] = fused;
            removed.Add(i);
        }
        RemoveOps(ops, removed);
    }

    /// <summary>
    /// conv or transposed conv (no Bias) → elementwise_add(Y = constant fp32 [M], axis 1) whose X is read by nothing else becomes
    /// the conv with that Bias (PaddleSeg exports and PP-OCR's DB head write the conv bias as a separate add); a batch_norm after it then folds too.
    /// </summary>
    internal static void FoldConvBias(List<Operator> ops, Dictionary<string, Tensor> constants)
    {
        var (uses, producer) = UsesAndProducers(ops);
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var add = ops[i];
            if (add.Type != "elementwise_add" || add.Input("X") is not string x || add.Input("Y") is not string y || add.Output("Out") is not string outName) continue;
            if (add.InputList("X").Length != 1 || add.InputList("Y").Length != 1 || add.OutputList("Out").Length != 1 || add.Inputs.Count != 2) continue;
            if (add.Attributes.GetDouble("Scale_x", 1) != 1 || add.Attributes.GetDouble("Scale_y", 1) != 1 || add.Attributes.GetDouble("Scale_out", 1) != 1) continue;
            int axis = add.Attributes.GetInt("axis", -1);
            // The bias as a constant [M] added on axis 1, or (PIR exports: every biased conv of PP-LCNet's and MobileNetV3's
            // squeeze-excitation blocks) a constant [M] reshaped to [1, M, 1, 1] just for this add, broadcast from the end.
            int reshape = -1;
            string biasName = y;
            if (!constants.TryGetValue(y, out var bias))
            {
                if (axis is not (-1 or 0) || !producer.TryGetValue(y, out reshape) || reshape >= i || removed.Contains(reshape) || uses.GetValueOrDefault(y) != 1
                    || BiasReshapeSource(ops[reshape], constants, uses) is not string source) continue;
                biasName = source;
                bias = constants[source];
            }
            else if (axis != 1) continue;
            if (bias.DataType != DataType.Float32 || bias.Shape.Length != 1) continue;
            if (uses.GetValueOrDefault(x) != 1 || !producer.TryGetValue(x, out var ci) || ci >= i || removed.Contains(ci)) continue;
            var conv = ops[ci];
            bool transposed = conv.Type is "conv2d_transpose" or "depthwise_conv2d_transpose";
            if (conv.Type is not ("conv2d" or "depthwise_conv2d") && !transposed || conv.Input("Bias") is not null || conv.Output("Output") != x || conv.Outputs.Count != 1) continue;
            if (conv.Attributes.GetString("data_format", "NCHW") is not ("NCHW" or "AnyLayout" or "")) continue;
            if (conv.Input(Kernels.Nn.NnEpilogue.ResidualInput) is not null || conv.Attributes.GetBool("fuse_relu", false) || conv.Attributes.GetBool("with_act", false)
                || conv.Attributes.GetString("fuse_activation", "") != "" || conv.Attributes.GetString(Kernels.Nn.NnEpilogue.FusedAttr, "") != "" || HasScalarAffine(conv)) continue;
            // Out channels: Filter [M, C/g, kh, kw], or [C, M/g, kh, kw] for the transposed convs (PP-OCR's DB head writes their bias as this add).
            if (conv.Input("Filter") is not string f || !constants.TryGetValue(f, out var filter) || filter.Shape.Length != 4) continue;
            if ((transposed ? (long)filter.Shape[1] * Math.Max(1, conv.Attributes.GetInt("groups", 1)) : filter.Shape[0]) != bias.Shape[0]) continue;
            if (producer.GetValueOrDefault(outName, -1) != i) continue;
            var fused = InputsAndAttributesOf(conv);
            fused.Inputs["Bias"] = [biasName];
            fused.Outputs["Output"] = [outName];
            ops[ci] = fused;
            producer[outName] = ci;
            removed.Add(i);
            if (reshape >= 0) removed.Add(reshape);
        }
        RemoveOps(ops, removed);
    }

    /// <summary>
    /// The constant fp32 [M] that <paramref name="op"/> only reshapes to [1, M, 1, 1] (a reshape2 / reshape with its shape
    /// in the attribute, M or -1 in place of M, no other output read), or null.
    /// </summary>
    private static string? BiasReshapeSource(Operator op, Dictionary<string, Tensor> constants, Dictionary<string, int> uses)
    {
        if (op.Type is not ("reshape2" or "reshape") || op.Input("X") is not string src || op.InputList("X").Length != 1) return null;
        if (op.Input("Shape") is not null || op.InputList("ShapeTensor").Length != 0 || op.OutputList("Out").Length != 1) return null;
        foreach (var (slot, names) in op.Outputs)
        {
            if (slot != "Out" && names.Any(n => uses.GetValueOrDefault(n) != 0)) return null;
        }
        if (!constants.TryGetValue(src, out var t) || t.DataType != DataType.Float32 || t.Shape.Length != 1) return null;
        return op.Attributes.Raw("shape") is long[] { Length: 4 } shape && shape[0] == 1 && (shape[1] == t.Shape[0] || shape[1] == -1) && shape[2] == 1 && shape[3] == 1
            ? src : null;
    }

    internal static void FuseConvActivation(List<Operator> ops)
    {
        var (uses, producer) = UsesAndProducers(ops);
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var act = ops[i];
            if (act.Type is not ("relu" or "relu6" or "leaky_relu" or "hard_swish" or "hard_sigmoid")) continue;
            if (act.Input("X") is not string x || act.Output("Out") is not string outName || act.Inputs.Count != 1 || act.OutputList("Out").Length != 1) continue;
            if (uses.GetValueOrDefault(x) != 1 || !producer.TryGetValue(x, out var ci) || ci >= i || removed.Contains(ci)) continue;
            var conv = ops[ci];
            if (conv.Type is not ("conv2d" or "depthwise_conv2d" or "conv2d_transpose" or "depthwise_conv2d_transpose") || conv.Output("Output") != x || conv.Outputs.Count != 1) continue;
            if (conv.Attributes.GetString("data_format", "NCHW") is not ("NCHW" or "AnyLayout" or "")) continue;
            if (conv.Input("ResidualData") is not null || conv.Attributes.GetBool("fuse_relu", false) || conv.Attributes.GetBool("with_act", false)
                || conv.Attributes.GetString("fuse_activation", "") != "" || conv.Attributes.GetString(Kernels.Nn.NnEpilogue.FusedAttr, "") != "") continue;
            // The only writer of the output name must be this activation (no later reassignment confusion).
            if (producer.GetValueOrDefault(outName, -1) != i) continue;
            float alpha = 0f, beta = 0f;
            switch (act.Type)
            {
                case "leaky_relu":
                    alpha = act.Attributes.GetFloat("alpha", 0.02f);
                    break;
                case "relu6":
                    alpha = 6f;
                    break;
                case "hard_sigmoid":
                    alpha = act.Attributes.GetFloat("slope", 0.2f);
                    beta = act.Attributes.GetFloat("offset", 0.5f);
                    break;
            }
            var fused = InputsAndAttributesOf(conv);
            fused.Attributes.Set(Kernels.Nn.NnEpilogue.FusedAttr, act.Type);
            fused.Attributes.Set(Kernels.Nn.NnEpilogue.FusedAlphaAttr, (double)alpha);
            fused.Attributes.Set(Kernels.Nn.NnEpilogue.FusedBetaAttr, (double)beta);
            fused.Outputs["Output"] = [outName];
            ops[ci] = fused;
            producer[outName] = ci;
            removed.Add(i);
        }
        RemoveOps(ops, removed);
    }

    internal static void FuseConvResidual(List<Operator> ops, IReadOnlyDictionary<string, Variable>? vars)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            foreach (var name in op.Inputs.Values.SelectMany(a => a)) uses[name] = uses.GetValueOrDefault(name) + 1;
        }
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        var writers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++)
        {
            foreach (var name in ops[i].Outputs.Values.SelectMany(a => a))
            {
                producer[name] = i;
                writers[name] = writers.GetValueOrDefault(name) + 1;
            }
        }
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var add = ops[i];
            if (add.Type != "elementwise_add" || add.Inputs.Count != 2 || add.Outputs.Count != 1) continue;
            if (add.Input("X") is not string xName || add.Input("Y") is not string yName || add.Output("Out") is not string outName) continue;
            if (add.InputList("X").Length != 1 || add.InputList("Y").Length != 1 || add.OutputList("Out").Length != 1 || xName == yName) continue;
            if (add.Attributes.All.Any(kv => kv.Key is not ("axis" or "op_role" or "op_role_var" or "op_namescope" or "op_callstack" or "op_device" or "with_quant_attr" or "use_mkldnn" or "use_quantizer" or "mkldnn_data_type"
                or "x_data_format" or "y_data_format" or "Scale_x" or "Scale_y" or "Scale_out"))) continue;
            if (add.Attributes.GetDouble("Scale_x", 1) != 1 || add.Attributes.GetDouble("Scale_y", 1) != 1 || add.Attributes.GetDouble("Scale_out", 1) != 1) continue;
            // Same declared shape (rank 4, the same dims, -1 at the same places): no broadcasting involved.
            if (vars is null || !vars.TryGetValue(xName, out var xv) || !vars.TryGetValue(yName, out var yv)) continue;
            if (xv.Dims.Length != 4 || !xv.Dims.AsSpan().SequenceEqual(yv.Dims)) continue;
            foreach (var (convOut, other, residualFirst) in new[] { (yName, xName, true), (xName, yName, false) })
            {
                if (uses.GetValueOrDefault(convOut) != 1 || writers.GetValueOrDefault(convOut) != 1 || !producer.TryGetValue(convOut, out var ci) || ci >= i || removed.Contains(ci)) continue;
                // The residual must already exist when the conv runs, and nothing may rewrite it in between.
                if (!producer.TryGetValue(other, out var ri) ? false : ri >= ci) continue;
                if (writers.GetValueOrDefault(other) > 1) continue;
                var conv = ops[ci];
                if (conv.Type is not ("conv2d" or "depthwise_conv2d") || conv.Output("Output") != convOut || conv.Outputs.Count != 1) continue;
                if (conv.Attributes.GetString("data_format", "NCHW") is not ("NCHW" or "AnyLayout" or "")) continue;
                if (conv.Input("ResidualData") is not null || conv.Input(Kernels.Nn.NnEpilogue.ResidualInput) is not null || conv.Attributes.GetBool("fuse_relu", false)
                    || conv.Attributes.GetBool("with_act", false) || conv.Attributes.GetString("fuse_activation", "") != ""
                    || conv.Attributes.GetString(Kernels.Nn.NnEpilogue.FusedAttr, "") != "" || HasScalarAffine(conv)) continue;
                if (producer.GetValueOrDefault(outName, -1) != i || writers.GetValueOrDefault(outName) != 1) continue;
                var fused = InputsAndAttributesOf(conv);
                fused.Inputs[Kernels.Nn.NnEpilogue.ResidualInput] = [other];
                fused.Attributes.Set(Kernels.Nn.NnEpilogue.ResidualFirstAttr, residualFirst);
                fused.Outputs["Output"] = [outName];
                ops[ci] = fused;
                producer[outName] = ci;
                removed.Add(i);
                break;
            }
        }
        RemoveOps(ops, removed);
    }

    internal static void FuseConvInputScale(List<Operator> ops, IReadOnlyDictionary<string, Variable>? vars, IReadOnlyDictionary<string, Tensor>? constants = null)
    {
        if (vars is null) return;
        var (uses, producer) = UsesAndProducers(ops);
        var writers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            foreach (var name in op.Outputs.Values.SelectMany(a => a)) writers[name] = writers.GetValueOrDefault(name) + 1;
        }
        var consumer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++)
        {
            foreach (var name in ops[i].Inputs.Values.SelectMany(a => a)) consumer[name] = i;
        }
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var mul = ops[i];
            if (mul.Type != "elementwise_mul" || mul.Inputs.Count != 2 || mul.Outputs.Count != 1) continue;
            if (mul.Input("X") is not string xName || mul.Input("Y") is not string sName || mul.Output("Out") is not string outName) continue;
            if (mul.InputList("X").Length != 1 || mul.InputList("Y").Length != 1 || mul.OutputList("Out").Length != 1 || xName == sName) continue;
            if (mul.Attributes.All.Any(kv => kv.Key is not ("axis" or "op_role" or "op_role_var" or "op_namescope" or "op_callstack" or "op_device" or "with_quant_attr" or "use_mkldnn" or "use_quantizer" or "mkldnn_data_type"
                or "x_data_format" or "y_data_format" or "Scale_x" or "Scale_y" or "Scale_out"))) continue;
            if (mul.Attributes.GetDouble("Scale_x", 1) != 1 || mul.Attributes.GetDouble("Scale_y", 1) != 1 || mul.Attributes.GetDouble("Scale_out", 1) != 1) continue;
            if (mul.Attributes.GetLong("axis", -1) is not (-1 or 0)) continue;
            // X [N, C, H, W] and S [N, C, 1, 1] with the same known C: a per-image, per-channel scale.
            if (!vars.TryGetValue(xName, out var xv) || !vars.TryGetValue(sName, out var sv) || xv.Dims.Length != 4 || sv.Dims.Length != 4) continue;
            if (xv.Dims[1] <= 0 || sv.Dims[1] != xv.Dims[1] || sv.Dims[2] != 1 || sv.Dims[3] != 1) continue;
            if (uses.GetValueOrDefault(outName) != 1 || writers.GetValueOrDefault(outName) != 1 || !consumer.TryGetValue(outName, out var ci) || ci <= i || removed.Contains(ci)) continue;
            // Nothing may rewrite X or S between the mul and the conv (SSA in practice: one writer each).
            if (writers.GetValueOrDefault(xName) > 1 || writers.GetValueOrDefault(sName) > 1) continue;
            var conv = ops[ci];
            if (conv.Type != "conv2d" || conv.Input("Input") != outName || conv.InputList("Input").Length != 1 || conv.Input(Kernels.Nn.NnEpilogue.InputScaleInput) is not null) continue;
            if (conv.Attributes.GetString("data_format", "NCHW") is not ("NCHW" or "AnyLayout" or "")) continue;
            if (conv.Attributes.GetLong("groups", 1) != 1 || conv.Attributes.GetString("padding_algorithm", "EXPLICIT") is not ("EXPLICIT" or "")) continue;
            if (!AllEqual(conv.Attributes.GetLongs("strides"), 1) || !AllEqual(conv.Attributes.GetLongs("dilations"), 1) || !AllEqual(conv.Attributes.GetLongs("paddings"), 0)) continue;
            // The filter may be a folded constant (batch-norm folding renames it): its shape from the constant, else the declared var.
            if (conv.Input("Filter") is not string fName) continue;
            long[]? fDims = constants is not null && constants.TryGetValue(fName, out var ft) ? Array.ConvertAll(ft.Shape.ToArray(), d => (long)d) : vars.TryGetValue(fName, out var fv) ? fv.Dims : null;
            if (fDims is null || fDims.Length != 4 || fDims[2] != 1 || fDims[3] != 1 || fDims[1] != xv.Dims[1]) continue;
            if (producer.GetValueOrDefault(outName, -1) != i) continue;
            var fused = InputsAndAttributesOf(conv);
            foreach (var (k, v) in conv.Outputs) fused.Outputs[k] = v;
            fused.Inputs["Input"] = [xName];
            fused.Inputs[Kernels.Nn.NnEpilogue.InputScaleInput] = [sName];
            ops[ci] = fused;
            removed.Add(i);
        }
        RemoveOps(ops, removed);
    }

    internal static void FuseConvScalarAffine(List<Operator> ops, Dictionary<string, Tensor> constants)
    {
        var (uses, producer) = UsesAndProducers(ops);
        var writers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            foreach (var name in op.Outputs.Values.SelectMany(a => a)) writers[name] = writers.GetValueOrDefault(name) + 1;
        }
        var removed = new HashSet<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            bool isMul = op.Type == "elementwise_mul";
            if (!isMul && op.Type != "elementwise_add") continue;
            if (op.Inputs.Count != 2 || op.Outputs.Count != 1 || op.InputList("X").Length != 1 || op.InputList("Y").Length != 1 || op.OutputList("Out").Length != 1) continue;
            if (op.Input("X") is not string xName || op.Input("Y") is not string yName || op.Output("Out") is not string outName || xName == yName) continue;
            if (op.Attributes.All.Any(kv => kv.Key is not ("axis" or "op_role" or "op_role_var" or "op_namescope" or "op_callstack" or "op_device" or "with_quant_attr" or "use_mkldnn" or "use_quantizer" or "mkldnn_data_type"
                or "x_data_format" or "y_data_format" or "Scale_x" or "Scale_y" or "Scale_out"))) continue;
            if (op.Attributes.GetDouble("Scale_x", 1) != 1 || op.Attributes.GetDouble("Scale_y", 1) != 1 || op.Attributes.GetDouble("Scale_out", 1) != 1) continue;
            // One operand a conv output, the other a one-element fp32 constant ([1] or []): broadcasting gives the conv's shape whatever the axis.
            string convOut, scalarName;
            if (IsScalarConstant(constants, yName)) (convOut, scalarName) = (xName, yName);
            else if (IsScalarConstant(constants, xName)) (convOut, scalarName) = (yName, xName);
            else continue;
            if (uses.GetValueOrDefault(convOut) != 1 || writers.GetValueOrDefault(convOut) != 1 || !producer.TryGetValue(convOut, out var ci) || ci >= i || removed.Contains(ci)) continue;
            if (producer.GetValueOrDefault(outName, -1) != i || writers.GetValueOrDefault(outName) != 1) continue;
            var conv = ops[ci];
            if (conv.Type is not ("conv2d" or "depthwise_conv2d" or "conv2d_transpose" or "depthwise_conv2d_transpose") || conv.Output("Output") != convOut || conv.Outputs.Count != 1) continue;
            if (conv.Input("ResidualData") is not null || conv.Attributes.GetBool("fuse_relu", false) || conv.Attributes.GetBool("with_act", false)
                || conv.Attributes.GetString("fuse_activation", "") != "") continue;
            // Steps after the fused activation go to the post stage; each stage is one multiply then one add.
            bool post = conv.Attributes.GetString(Kernels.Nn.NnEpilogue.FusedAttr, "") != "";
            string scaleAttr = post ? Kernels.Nn.NnEpilogue.PostScaleAttr : Kernels.Nn.NnEpilogue.PreScaleAttr;
            string shiftAttr = post ? Kernels.Nn.NnEpilogue.PostShiftAttr : Kernels.Nn.NnEpilogue.PreShiftAttr;
            if (conv.Attributes.Has(shiftAttr) || (isMul && conv.Attributes.Has(scaleAttr))) continue;
            var fused = InputsAndAttributesOf(conv);
            fused.Attributes.Set(isMul ? scaleAttr : shiftAttr, (double)MemoryMarshal.Cast<byte, float>(constants[scalarName].RawData.AsSpan())[0]);
            fused.Outputs["Output"] = [outName];
            ops[ci] = fused;
            producer[outName] = ci;
            removed.Add(i);
        }
        RemoveOps(ops, removed);
    }

    /// <summary>Whether scalar affine steps were folded into <paramref name="conv"/> (the epilogue applies them after its residual).</summary>
    private static bool HasScalarAffine(Operator conv) =>
        conv.Attributes.Has(Kernels.Nn.NnEpilogue.PreScaleAttr) || conv.Attributes.Has(Kernels.Nn.NnEpilogue.PreShiftAttr)
        || conv.Attributes.Has(Kernels.Nn.NnEpilogue.PostScaleAttr) || conv.Attributes.Has(Kernels.Nn.NnEpilogue.PostShiftAttr);

    private static bool IsScalarConstant(Dictionary<string, Tensor> constants, string name) =>
        constants.TryGetValue(name, out var t) && t.DataType == DataType.Float32 && t.Shape.Length <= 1 && t.ElementCount == 1;

    private static bool AllEqual(long[]? values, long expected) => values is null || values.All(v => v == expected);

    private static bool TryFloat(Dictionary<string, Tensor> constants, string? name, out float[] values)
    {
        values = [];
        if (name is null || !constants.TryGetValue(name, out var t) || t.DataType != DataType.Float32) return false;
        values = MemoryMarshal.Cast<byte, float>(t.RawData.AsSpan()).ToArray();
        return true;
    }
}
