using System.Runtime.InteropServices;
using System.Text.Json;
using PaddleNet.Model;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model.Lite;

/// <summary>
/// Paddle Lite <c>.nb</c> files (shared/models/lite) load into the common program representation;
/// the opt 2.13 files are checked against their readable twins (program.json, nb_info.json).
/// </summary>
public sealed class LiteModelTests
{
    private static string LiteDir => SharedData.Path("models", "lite");

    /// <summary>Every model under models/lite: each .nb file, and the two-file folder.</summary>
    public static TheoryData<string> AllNbFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(LiteDir, "*.nb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(f) == "param.nb") continue;
            data.Add(SharedData.Relative(f));
        }
        return data;
    }

    public static TheoryData<string> OptFolders()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.EnumerateDirectories(LiteDir, "opt2.13_*").Order(StringComparer.Ordinal)) data.Add(SharedData.Relative(d));
        return data;
    }

    [Fact]
    public void AllNbFiles_AreFound()
    {
        // 10 opt/PP-OCRv4 files, 3 slim, 3 PaddleHub meta_version 0, the two-file __model__.nb.
        Assert.Equal(17, AllNbFiles().Count);
    }

    [Theory]
    [MemberData(nameof(AllNbFiles))]
    public void NbFile_Loads_WithFloatWeightsAndSignature(string rel)
    {
        var path = SharedData.Path(rel);
        var m = PaddleModel.Load(path);
        Assert.Equal(ModelFormat.PaddleLite, m.Format);
        Assert.True(m.HasWeights);
        Assert.NotNull(m.LiteMetaVersion);
        Assert.True(m.ParameterCount > 0);
        Assert.NotEmpty(m.Inputs);
        Assert.NotEmpty(m.Outputs);
        foreach (var (name, t) in m.Parameters)
        {
            // int8/int16 weights are dequantised, fp16 widened.
            Assert.True(t.DataType is DataType.Float32 or DataType.Int32 or DataType.Int64, $"{name}: {t}");
        }
        // Every parameter the program declares is loaded, with the stored shape.
        var declared = m.Program.Main.Vars.Values.Where(v => v.IsParameter).Select(v => v.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, m.Parameters.Keys.Where(declared.Contains).Order(StringComparer.Ordinal).ToArray());
        foreach (var op in m.Program.Main.Ops) Assert.False(string.IsNullOrEmpty(op.Type));
        // The same model loads from its directory (model.nb, __model__.nb, or the folder's only *.nb).
        var dir = Path.GetDirectoryName(path)!;
        if (Directory.GetFiles(dir, "*.nb").Count(f => Path.GetFileName(f) != "param.nb") == 1)
        {
            var again = PaddleModel.Load(dir);
            Assert.Equal(m.ParameterCount, again.ParameterCount);
            Assert.Equal(m.OperatorCounts, again.OperatorCounts);
        }
    }

    [Theory]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_x86/model.nb", "v2.13-rc", 2, "not-recorded")]
    [InlineData("ch_PP-OCRv4_mobile_cls_lite2.13/ch_PP-OCRv4_mobile_cls.nb", "v2.13-rc", 2, "2.3.2")]
    [InlineData("opt2.13_ssd_mobilenet_v1_random_arm/model.nb", "v2.13-rc", 2, "3.3.1")]
    [InlineData("ppocr_v2.0_slim_lite2.10/ch_ppocr_mobile_v2.0_det_slim_opt.nb", "v2.10-rc", 2, "2.0.0")]
    [InlineData("paddlehub_face_lite_old/facekeypoints_detector_for_cpu.model.nb", "c5f7cec", 0, "1.6.1")]
    [InlineData("paddlehub_face_lite_old/mask_detector_for_cpu.model.nb", "7735976", 0, "1.7.1")]
    [InlineData("paddlehub_face_lite_old/pyramidbox_lite_for_cpu.model.nb", "7735976", 0, "1.7.1")]
    [InlineData("face_ssd_lite0.7_twofile", null, 0, "not-recorded")]
    public void Header_VersionStrings(string rel, string? liteVersion, int meta, string producer)
    {
        var m = PaddleModel.Load(Path.Combine(LiteDir, rel));
        Assert.Equal(liteVersion, m.LiteVersion);
        Assert.Equal(meta, m.LiteMetaVersion);
        Assert.Equal(producer == "not-recorded" ? null : producer, m.ProducerVersion);
    }

    [Fact]
    public void TwoFile_ReadsParamNbBesideModel()
    {
        var dir = SharedData.Path("models", "lite", "face_ssd_lite0.7_twofile");
        var m = PaddleModel.Load(Path.Combine(dir, "__model__.nb"));
        Assert.Equal(62, m.ParameterCount);
        Assert.Equal(67, m.OperatorCounts.Values.Sum());
        var explicitly = PaddleModel.Load(Path.Combine(dir, "__model__.nb"), Path.Combine(dir, "param.nb"));
        Assert.Equal(62, explicitly.ParameterCount);
        var programOnly = PaddleModel.Load(File.ReadAllBytes(Path.Combine(dir, "__model__.nb")), null);
        Assert.False(programOnly.HasWeights);
    }

    [Fact]
    public void Directory_WithSeveralNbFiles_IsRejectedWithTheirNames()
    {
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(SharedData.Path("models", "lite", "paddlehub_face_lite_old")));
        Assert.Contains("mask_detector_for_cpu.model.nb", e.Message);
    }

    [Theory]
    [MemberData(nameof(OptFolders))]
    public void OptFile_ProgramMatchesProgramJson(string rel)
    {
        var dir = SharedData.Path(rel);
        var m = PaddleModel.Load(Path.Combine(dir, "model.nb"));
        using var prog = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "program.json")));
        using var info = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "nb_info.json")));
        var header = info.RootElement.GetProperty("header");
        Assert.Equal(header.GetProperty("lite_version_char16@2").GetString(), m.LiteVersion);
        Assert.Equal(header.GetProperty("meta_version_uint16_le@0").GetInt32(), m.LiteMetaVersion);

        // Ops: the same op-type sequence; the same ops (slots, arguments and attributes; abbreviated
        // float lists by length, head, min, max). opt may order independent branches differently between
        // runs (ShuffleNetV2: two convs of a block swap), so ops are matched by signature, and the
        // .nb order is checked to be a valid execution order.
        var ops = prog.RootElement.GetProperty("ops").EnumerateArray().ToArray();
        var main = m.Program.Main;
        Assert.Equal(info.RootElement.GetProperty("num_ops").GetInt32(), main.Ops.Count);
        Assert.Equal(ops.Select(o => o.GetProperty("type").GetString()), main.Ops.Select(o => o.Type));
        var unmatched = main.Ops.ToList();
        for (int i = 0; i < ops.Length; i++)
        {
            var expected = ops[i];
            var sig = Signature(expected.GetProperty("type").GetString()!, Slots(expected.GetProperty("inputs")), Slots(expected.GetProperty("outputs")));
            var op = unmatched.FirstOrDefault(o => Signature(o.Type, o.Inputs, o.Outputs) == sig);
            Assert.True(op is not null, $"program.json op #{i} {sig} is not in the .nb");
            unmatched.Remove(op);
            string where = $"op #{i} {op.Type}";
            var attrs = expected.GetProperty("attrs");
            Assert.Equal(attrs.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), op.Attributes.All.Select(kv => kv.Key).Order(StringComparer.Ordinal));
            foreach (var a in attrs.EnumerateObject()) AssertAttr(a.Value, op.Attributes.Raw(a.Name)!, $"{where}.{a.Name}");
        }
        var written = new HashSet<string>(main.Vars.Values.Where(v => v.Persistable).Select(v => v.Name), StringComparer.Ordinal);
        foreach (var op in main.Ops)
        {
            foreach (var name in op.Inputs.Values.SelectMany(a => a)) Assert.True(written.Contains(name), $"{op.Type} reads '{name}' before any op writes it");
            foreach (var name in op.Outputs.Values.SelectMany(a => a)) written.Add(name);
        }
        var counts = info.RootElement.GetProperty("op_counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(counts.OrderBy(kv => kv.Key, StringComparer.Ordinal), m.OperatorCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var kernels = info.RootElement.GetProperty("kernel_type_attr_counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var ours = main.Ops.GroupBy(o => o.Attributes.GetString("__@kernel_type_attr@__", "")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(kernels.OrderBy(kv => kv.Key, StringComparer.Ordinal), ours.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // Vars: every name an op uses is declared; the persistable ones are exactly program.json's.
        foreach (var op in main.Ops)
        {
            foreach (var name in op.Inputs.Values.Concat(op.Outputs.Values).SelectMany(a => a)) Assert.True(main.Vars.ContainsKey(name), $"{op.Type} uses undeclared '{name}'");
        }
        var persistable = prog.RootElement.GetProperty("persistable_vars");
        int expectedCount = info.RootElement.GetProperty("num_persistable_vars").GetInt32();
        Assert.Equal(expectedCount, persistable.EnumerateObject().Count());
        Assert.Equal(persistable.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), main.Vars.Values.Where(v => v.IsParameter).Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.Equal(expectedCount, m.ParameterCount);

        // Parameter shapes agree with the declarations, except where opt's conv_conv fuse (two 1×1
        // convs → one) kept the first conv's stale var desc: the stored tensor is [Cout2, Cin1, 1, 1].
        var staleExpected = rel.Contains("ch_ppocr_mobile_v2.0_cls", StringComparison.Ordinal) ? new[] { "conv2_linear_weights" } : [];
        var stale = new List<string>();
        foreach (var p in persistable.EnumerateObject())
        {
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var t = m.Parameters[p.Name];
            if (!shape.SequenceEqual(t.ShapeArray)) stale.Add(p.Name);
        }
        Assert.Equal(staleExpected, stale.ToArray());
    }

    private static Dictionary<string, string[]> Slots(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(x => x.GetString()!).ToArray());

    /// <summary>Type and non-empty slots (program.json leaves out empty slots such as conv2d ResidualData: []).</summary>
    private static string Signature(string type, Dictionary<string, string[]> inputs, Dictionary<string, string[]> outputs) =>
        type + "(" + string.Join(";", inputs.Where(kv => kv.Value.Length > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + string.Join(",", kv.Value)))
        + ")->(" + string.Join(";", outputs.Where(kv => kv.Value.Length > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + string.Join(",", kv.Value))) + ")";

    private static void AssertAttr(JsonElement e, object actual, string where)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: Assert.Equal(e.GetString(), Assert.IsType<string>(actual)); break;
            case JsonValueKind.True:
            case JsonValueKind.False: Assert.Equal(e.GetBoolean(), Assert.IsType<bool>(actual)); break;
            case JsonValueKind.Number:
                if (actual is long l) Assert.Equal(e.GetInt64(), l);
                else Assert.Equal((float)e.GetDouble(), (float)Assert.IsType<double>(actual));
                break;
            case JsonValueKind.Array:
                {
                    var items = e.EnumerateArray().ToArray();
                    switch (actual)
                    {
                        case long[] a: Assert.Equal(items.Select(x => x.GetInt64()), a); break;
                        case double[] a: Assert.Equal(items.Select(x => (float)x.GetDouble()), a.Select(x => (float)x)); break;
                        case bool[] a: Assert.Equal(items.Select(x => x.GetBoolean()), a); break;
                        case string[] a: Assert.Equal(items.Select(x => x.GetString()), a); break;
                        default: Assert.Fail($"{where}: unexpected {actual.GetType()}"); break;
                    }
                    break;
                }
            case JsonValueKind.Object when e.TryGetProperty("abbreviated_float_list", out _):
                {
                    var a = Assert.IsType<double[]>(actual);
                    Assert.Equal(e.GetProperty("len").GetInt32(), a.Length);
                    var head = e.GetProperty("head").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
                    Assert.Equal(head, a.Take(head.Length).Select(x => (float)x));
                    Assert.Equal((float)e.GetProperty("min").GetDouble(), (float)a.Min());
                    Assert.Equal((float)e.GetProperty("max").GetDouble(), (float)a.Max());
                    break;
                }
            default:
                Assert.Fail($"{where}: cannot compare {e}");
                break;
        }
    }

    /// <summary>
    /// ch_PP-OCRv4_mobile_cls.nb is opt 2.13 (arm) of cls/ch_ppocr_mobile_v2.0_cls_reexport (models/lite/README.md).
    /// Weights Lite did not fold (SE convs with their biases, the fc head) equal the Paddle twin's
    /// bit for bit; conv filters and biases Lite folded batch norm into equal our own folding of the
    /// twin's conv + batch_norm (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)) to float32 rounding.
    /// </summary>
    [Fact]
    public void PpOcrV4Cls_WeightsMatchPaddleTwin()
    {
        var lite = PaddleModel.Load(SharedData.Path("models", "lite", "ch_PP-OCRv4_mobile_cls_lite2.13", "ch_PP-OCRv4_mobile_cls.nb"));
        var twin = PaddleModel.Load(SharedData.Path("models", "cls", "ch_ppocr_mobile_v2.0_cls_reexport"));
        var twinOps = twin.Program.Main.Ops;
        int exact = 0, folded = 0;
        var foldedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var conv in twinOps.Where(o => o.Type is "conv2d" or "depthwise_conv2d"))
        {
            var bn = twinOps.FirstOrDefault(o => o.Type == "batch_norm" && o.Input("X") == conv.Output("Output"));
            if (bn is null) continue;
            var wName = conv.Input("Filter")!;
            var bName = bn.Input("Bias")!;
            if (!lite.Parameters.TryGetValue(wName, out var lw) || !lw.Shape.SequenceEqual(twin.Parameters[wName].Shape))
            {
                // conv_conv fused with the next 1×1 conv: neither weight nor bias is comparable.
                foldedNames.Add(wName);
                foldedNames.Add(bName);
                continue;
            }
            var w = Floats(twin.Parameters[wName]);
            var gamma = Floats(twin.Parameters[bn.Input("Scale")!]);
            var beta = Floats(twin.Parameters[bName]);
            var mean = Floats(twin.Parameters[bn.Input("Mean")!]);
            var var_ = Floats(twin.Parameters[bn.Input("Variance")!]);
            float eps = bn.Attributes.GetFloat("epsilon", 1e-5f);
            int cout = gamma.Length, per = w.Length / cout;
            var expectedW = new float[w.Length];
            var expectedB = new float[cout];
            for (int c = 0; c < cout; c++)
            {
                float alpha = gamma[c] / MathF.Sqrt(var_[c] + eps);
                for (int k = 0; k < per; k++) expectedW[c * per + k] = w[c * per + k] * alpha;
                expectedB[c] = beta[c] - mean[c] * alpha;
            }
            TensorAssert.Close(Tensor.FromSpan<float>(expectedW, lw.Shape), lw, 1e-6, 1e-5, wName);
            TensorAssert.Close(Tensor.FromSpan<float>(expectedB, [cout]), lite.Parameters[bName], 1e-6, 1e-5, bName);
            foldedNames.Add(wName);
            foldedNames.Add(bName);
            folded++;
        }
        foreach (var (name, t) in lite.Parameters)
        {
            if (foldedNames.Contains(name) || !twin.Parameters.TryGetValue(name, out var p) || !p.Shape.SequenceEqual(t.Shape)) continue;
            Assert.True(p.Bytes.SequenceEqual(t.Bytes), $"{name}: not folded by Lite, yet differs from the Paddle twin");
            exact++;
        }
        // 33 BN-folded conv filters + their biases, 38 unfolded (SE conv weights/biases, fc W/b), and one
        // conv_conv-fused pair (conv2d_5.w_0 [24,8,1,1], not comparable): all 106 parameters accounted for.
        Assert.Equal(33, folded);
        Assert.Equal(38, exact);
        Assert.Equal(lite.ParameterCount, 2 * folded + exact + 2);
    }

    /// <summary>
    /// Weight-only int8 files: every dequantised weight lies within half a quantisation step of the
    /// fp32 sibling's weight, each value is an integer multiple of its channel's scale in [-127, 127],
    /// and the largest |q| of every channel is 127 (scale = absmax/127).
    /// </summary>
    [Theory]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8", "opt2.13_ch_ppocr_mobile_v2.0_cls_x86")]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_arm_int8", "opt2.13_ch_ppocr_mobile_v2.0_cls_arm")]
    [InlineData("opt2.13_ppyolo_tiny_trash_x86_int8", null)]
    [InlineData("opt2.13_ppyolo_tiny_trash_arm_int8", null)]
    [InlineData("opt2.13_ShuffleNetV2_imagenet_x86_int8", null)]
    public void Int8File_DequantisedWeights_WithinQuantisationStep(string int8Dir, string? fp32Dir)
    {
        var q = PaddleModel.Load(SharedData.Path("models", "lite", int8Dir, "model.nb"));
        var f = fp32Dir is null ? null : PaddleModel.Load(SharedData.Path("models", "lite", fp32Dir, "model.nb"));
        int checkedTensors = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in q.Program.Main.Ops)
        {
            foreach (var (slot, args) in op.Inputs)
            {
                foreach (var name in args)
                {
                    var attr = name + "_quant_scale";
                    if (!op.Attributes.Has(attr) || !seen.Add(name)) continue;
                    var scales = op.Attributes.GetFloats(attr);
                    var t = q.Parameters[name];
                    Assert.Equal(DataType.Float32, t.DataType);
                    int axis = op.Type == "fc" && slot == "W" ? 1 : 0;
                    var shape = t.ShapeArray;
                    Assert.Equal(shape[axis], scales.Length);
                    long inner = 1;
                    for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
                    var w = Floats(t);
                    var absmax = new int[scales.Length];
                    var reference = f is null ? null : Floats(f.Parameters[name]);
                    for (int i = 0; i < w.Length; i++)
                    {
                        int c = (int)(i / inner % scales.Length);
                        float qv = w[i] / scales[c];
                        int r = (int)MathF.Round(qv);
                        Assert.True(Math.Abs(qv - r) < 1e-3 && Math.Abs(r) <= 127, $"{name}[{i}] = {w[i]} is not q·scale ({qv})");
                        absmax[c] = Math.Max(absmax[c], Math.Abs(r));
                        if (reference is not null)
                        {
                            Assert.True(Math.Abs(w[i] - reference[i]) <= 0.5f * scales[c] * 1.0001f + 1e-7f, $"{name}[{i}]: {w[i]} vs fp32 {reference[i]}, step {scales[c]}");
                        }
                    }
                    for (int c = 0; c < absmax.Length; c++)
                    {
                        if (scales[c] > 0) Assert.True(absmax[c] == 127, $"{name} channel {c}: max |q| = {absmax[c]}");
                    }
                    checkedTensors++;
                }
            }
        }
        Assert.True(checkedTensors >= 10, $"only {checkedTensors} quantised tensors found");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void TinyNb_LoadsAndDequantises(int meta)
    {
        var bytes = TinyNb.Build(meta);
        var m = PaddleModel.Load(bytes, null);
        Assert.Equal(ModelFormat.PaddleLite, m.Format);
        Assert.Equal("v2.13-rc", m.LiteVersion);
        Assert.Equal(meta, m.LiteMetaVersion);
        Assert.Equal("2.4.1", m.ProducerVersion);
        Assert.Equal(["feed", "conv2d", "fetch"], m.Program.Main.Ops.Select(o => o.Type));
        var w = m.Parameters["w"];
        Assert.Equal(DataType.Float32, w.DataType);
        var expected = TinyNb.FilterQ.Select((qv, i) => qv * TinyNb.FilterScales[i / 4]).ToArray();
        Assert.Equal(expected, Floats(w));
        Assert.Equal(TinyNb.BiasF16.Select(h => (float)h), Floats(m.Parameters["b"]));
        Assert.Equal(DataType.Float32, m.Program.Main.Vars["w"].DataType);
        Assert.Equal("x", Assert.Single(m.Inputs).Name);
        Assert.Equal(new[] { 1L, 1 }, m.Program.Main.Ops[1].Attributes.GetLongs("strides"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void TinyNb_TruncatedAtEveryLength_ThrowsModelFormatException(int meta)
    {
        var bytes = TinyNb.Build(meta);
        for (int n = 0; n < bytes.Length; n++)
        {
            Assert.Throws<ModelFormatException>(() => PaddleModel.Load(bytes.AsMemory(0, n), null));
        }
    }

    private static float[] Floats(Tensor t)
    {
        Assert.Equal(DataType.Float32, t.DataType);
        return MemoryMarshal.Cast<byte, float>(t.RawData.AsSpan()).ToArray();
    }
}
