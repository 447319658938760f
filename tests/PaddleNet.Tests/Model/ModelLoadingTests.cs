using System.Text.Json;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

public sealed class ModelLoadingTests
{
    /// <summary>Every reference manifest whose model PaddleNet reads with this loader (Lite .nb and image-only manifests excluded).</summary>
    public static TheoryData<string> ReferenceModels()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { "models", "bench", "ops" })
        {
            foreach (var manifest in SharedData.ManifestFiles(root))
            {
                var rel = SharedData.Relative(manifest);
                if (rel.StartsWith("models/lite", StringComparison.Ordinal) || rel.StartsWith("models/images", StringComparison.Ordinal)) continue;
                data.Add(rel);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void ReferenceModel_Load_InputsAndOutputsMatchManifest(string manifestRel)
    {
        var manifestPath = SharedData.Path(manifestRel);
        using var doc = ParseManifest(manifestPath);
        var root = doc.RootElement;
        var referenceDir = Path.GetDirectoryName(manifestPath)!;
        var caseDir = Path.GetDirectoryName(referenceDir)!;
        var modelDirs = root.TryGetProperty("model_dirs", out var dirs)
            ? dirs.EnumerateArray().Select(d => Path.Combine(caseDir, d.GetString()!)).ToArray()
            : [caseDir];
        Assert.NotEmpty(modelDirs);
        var firstCase = root.GetProperty("cases")[0];
        var expectedInputs = firstCase.GetProperty("inputs").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        var expectedOutputs = firstCase.GetProperty("outputs").EnumerateArray().ToArray();
        foreach (var dir in modelDirs)
        {
            Assert.True(Directory.Exists(dir), $"model folder missing: {dir}");
            var model = PaddleModel.Load(dir);
            Assert.True(model.HasWeights, $"{dir}: weights not found");
            Assert.Equal(expectedInputs, model.Inputs.Select(i => i.Name).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(expectedOutputs.Length, model.Outputs.Count);
            for (int k = 0; k < expectedOutputs.Length; k++)
            {
                var expected = expectedOutputs[k];
                Assert.Equal(expected.GetProperty("dtype").GetString(), model.Outputs[k].DataType.Name());
                // Legacy programs name outputs by the fetched variable; PIR programs by the fetch op's name.
                if (!Path.GetFileName(dir).StartsWith("pir", StringComparison.Ordinal) && model.Format != ModelFormat.PirJson)
                {
                    Assert.Equal(expected.GetProperty("name").GetString(), model.Outputs[k].Name);
                }
            }
            // input_spec is the shape the references were run with; programs may declare stale static
            // sizes (the 2.0-era OCR classifier says 32x100 but runs at 48x192), so only the rank must agree.
            if (root.TryGetProperty("input_spec", out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                foreach (var input in spec.EnumerateObject())
                {
                    var declared = model.Inputs.Single(i => i.Name == input.Name).Shape;
                    Assert.Equal(input.Value.GetArrayLength(), declared.Count);
                }
            }
        }
    }

    /// <summary>Reads a manifest; Python's json writes bare Infinity/NaN, which System.Text.Json rejects.</summary>
    internal static JsonDocument ParseManifest(string path)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"(?<=[\[:,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])", "\"$1\"");
        return JsonDocument.Parse(text);
    }

    public static TheoryData<string> ProgramOnlyFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(SharedData.Path("models", "programs")).Where(f => f.EndsWith(".pdmodel") || f.EndsWith(".json")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProgramOnlyFiles))]
    public void ProgramOnlyFile_Load_ReadsProgramWithoutWeights(string file)
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", file));
        Assert.False(model.HasWeights);
        Assert.Equal(0, model.ParameterCount);
        Assert.NotEmpty(model.Inputs);
        Assert.NotEmpty(model.Outputs);
        Assert.True(model.OperatorCounts.Values.Sum() > 50);
        // Every pd_op was mapped to the legacy vocabulary (unmapped ones keep a dialect prefix).
        Assert.DoesNotContain(model.OperatorCounts.Keys, k => k.Contains('.'));
    }

    [Theory]
    [InlineData("PP-OCRv5_mobile_det.inference.json", "x", new long[] { -1, 3, -1, -1 })]
    [InlineData("PP-LCNet_x1_0_doc_ori.inference.json", "x", new long[] { -1, 3, 224, 224 })]
    [InlineData("ch_PP-OCRv4_det_infer.inference.pdmodel", "x", new long[] { -1, 3, -1, -1 })]
    [InlineData("ch_PP-OCRv4_rec_infer.inference.pdmodel", "x", new long[] { -1, 3, 48, -1 })]
    [InlineData("picodet_lcnet_x1_0_fgd_layout_infer.model.pdmodel", "image", new long[] { 1, 3, 800, 608 })]
    public void ProgramOnlyFile_Inputs_AreThoseItsExporterDeclared(string file, string input, long[] shape)
    {
        var model = PaddleModel.Load(SharedData.Path("models", "programs", file));
        var info = Assert.Single(model.Inputs);
        Assert.Equal(input, info.Name);
        Assert.Equal(shape, info.Shape.ToArray());
    }

    public static TheoryData<string> ZooArchitectures()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.EnumerateDirectories(SharedData.Path("models", "zoo")).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(d));
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooArchitectures))]
    public void ZooExports_PirAndLegacy_NormaliseToSameOperatorsAndParameters(string arch)
    {
        var pir = PaddleModel.Load(SharedData.Path("models", "zoo", arch, "pir"));
        var legacy = PaddleModel.Load(SharedData.Path("models", "zoo", arch, "legacy"));
        Assert.Equal(ModelFormat.PirJson, pir.Format);
        Assert.Equal(ModelFormat.LegacyCombined, legacy.Format);
        Assert.Equal(legacy.OperatorCounts.ToArray(), pir.OperatorCounts.ToArray());
        AssertSameParameters(legacy, pir);
        Assert.Equal(legacy.Inputs.Select(i => (i.Name, i.DataType, string.Join(",", i.Shape))), pir.Inputs.Select(i => (i.Name, i.DataType, string.Join(",", i.Shape))));
    }

    [Fact]
    public void OcrClassifierExports_OriginalAndReexport_HaveSameCanonicalOperatorsAndParameters()
    {
        var original = PaddleModel.Load(SharedData.Path("models", "cls", "ch_ppocr_mobile_v2.0_cls"));
        var reexport = PaddleModel.Load(SharedData.Path("models", "cls", "ch_ppocr_mobile_v2.0_cls_reexport"));
        AssertSameParameters(original, reexport);
        // The raw programs differ by exporter idioms (matmul v1 + identity scale + a shape slice of the
        // static channel count in 2.0; matmul_v2 + fill_constant in 2.3); canonically they are one network.
        Assert.NotEqual(original.OperatorCounts.ToArray(), reexport.OperatorCounts.ToArray());
        Assert.Equal(
            PaddleNet.Model.ProgramCanonicalizer.CanonicalOperatorCounts(original.Program).ToArray(),
            PaddleNet.Model.ProgramCanonicalizer.CanonicalOperatorCounts(reexport.Program).ToArray());
    }

    [Theory]
    [MemberData(nameof(ZooArchitectures))]
    public void ZooExports_CanonicalOperators_AlsoAgree(string arch)
    {
        var pir = PaddleModel.Load(SharedData.Path("models", "zoo", arch, "pir"));
        var legacy = PaddleModel.Load(SharedData.Path("models", "zoo", arch, "legacy"));
        Assert.Equal(
            PaddleNet.Model.ProgramCanonicalizer.CanonicalOperatorCounts(legacy.Program).ToArray(),
            PaddleNet.Model.ProgramCanonicalizer.CanonicalOperatorCounts(pir.Program).ToArray());
    }

    internal static void AssertSameParameters(PaddleModel a, PaddleModel b)
    {
        Assert.Equal(a.ParameterCount, b.ParameterCount);
        Assert.Equal(a.ParameterBytes, b.ParameterBytes);
        // By content: the multiset of (dtype, shape, bytes) must agree even if names differ.
        static string[] Keys(PaddleModel m) => m.Parameters.Values
            .Select(t => $"{t.DataType.Name()}[{string.Join(",", t.ShapeArray)}]:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(t.RawData))}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Keys(a), Keys(b));
    }

    [Fact]
    public void Load_FromDirectoryFileBytesAndStream_GiveTheSameModel()
    {
        var dir = SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");
        var program = Path.Combine(dir, "inference.pdmodel");
        var pars = Path.Combine(dir, "inference.pdiparams");
        var fromDir = PaddleModel.Load(dir);
        var fromFile = PaddleModel.Load(program);
        var fromExplicit = PaddleModel.Load(program, pars);
        var fromBytes = PaddleModel.Load(File.ReadAllBytes(program), File.ReadAllBytes(pars));
        using var ps = File.OpenRead(program);
        using var ws = File.OpenRead(pars);
        var fromStream = PaddleModel.Load(ps, ws);
        foreach (var m in new[] { fromFile, fromExplicit, fromBytes, fromStream })
        {
            Assert.Equal(fromDir.OperatorCounts.ToArray(), m.OperatorCounts.ToArray());
            AssertSameParameters(fromDir, m);
            Assert.Equal(fromDir.Outputs.Select(o => o.Name), m.Outputs.Select(o => o.Name));
        }
        Assert.Null(fromBytes.Source);
    }

    [Fact]
    public void Load_Paddle1xSeparateFolder_ReadsEveryPersistableVariable()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "cls", "ShuffleNetV2_imagenet"));
        Assert.Equal(ModelFormat.LegacySeparate, model.Format);
        var files = Directory.EnumerateFiles(SharedData.Path("models", "cls", "ShuffleNetV2_imagenet")).Select(Path.GetFileName)
            .Where(n => n != "__model__").ToHashSet();
        Assert.All(model.Parameters.Keys, k => Assert.Contains(k, files));
        Assert.Equal(282, model.ParameterCount);
    }

    [Fact]
    public void ProducerVersion_LegacyFile_IsDecodedFromVersionField()
    {
        var model = PaddleModel.Load(SharedData.Path("models", "zoo", "ViT_tiny", "legacy"));
        Assert.Equal("3.3.1", model.ProducerVersion);
        var pir = PaddleModel.Load(SharedData.Path("models", "zoo", "ViT_tiny", "pir"));
        Assert.Equal(4, pir.PirVersion);
    }
}
