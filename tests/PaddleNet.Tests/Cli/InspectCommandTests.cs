using System.Text.Json;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Cli;

public sealed class InspectCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Inspect_Json_HasTheDocumentedSchema()
    {
        var (code, stdout, _) = Run("inspect", SharedData.Path("models", "zoo", "PPLCNet_x0_25", "pir"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("pir_json", r.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("producer_version").ValueKind);
        Assert.Equal(4, r.GetProperty("pir_version").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("lite_version").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("lite_meta_version").ValueKind);
        var input = Assert.Single(r.GetProperty("inputs").EnumerateArray());
        Assert.Equal("x", input.GetProperty("name").GetString());
        Assert.Equal("float32", input.GetProperty("dtype").GetString());
        Assert.Equal([-1L, 3, -1, -1], input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("fetch_name_0", Assert.Single(r.GetProperty("outputs").EnumerateArray()).GetProperty("name").GetString());
        Assert.True(r.GetProperty("ops").GetProperty("conv2d").GetInt32() > 0);
        // The zoo README states 137,564 parameters for PPLCNet_x0_25 (elements, incl. BN statistics).
        Assert.Equal(137_564, r.GetProperty("params").GetProperty("elements").GetInt64());
        Assert.Equal(137_564 * 4, r.GetProperty("params").GetProperty("bytes").GetInt64());
    }

    /// <summary>Every Paddle Lite model inspects in text and JSON, with the header's version and meta_version.</summary>
    [Fact]
    public void Inspect_LiteModels_ShowLiteVersionAndMetaVersion()
    {
        var lite = SharedData.Path("models", "lite");
        var targets = Directory.EnumerateFiles(lite, "*.nb", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "param.nb").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(17, targets.Length);
        foreach (var nb in targets)
        {
            var (code, stdout, err) = Run("inspect", nb, "--json");
            Assert.True(code == 0, $"{nb}: {err}");
            using var doc = JsonDocument.Parse(stdout);
            var r = doc.RootElement;
            Assert.Equal("paddle_lite", r.GetProperty("format").GetString());
            var meta = r.GetProperty("lite_meta_version").GetInt32();
            var version = r.GetProperty("lite_version");
            if (Path.GetFileName(nb) == "__model__.nb")
            {
                Assert.Equal(0, meta);
                Assert.Equal(JsonValueKind.Null, version.ValueKind);
            }
            else if (nb.Contains("paddlehub_face_lite_old", StringComparison.Ordinal))
            {
                Assert.Equal(0, meta);
                Assert.Matches("^[0-9a-f]{7}$", version.GetString());
            }
            else
            {
                Assert.Equal(2, meta);
                Assert.Equal(nb.Contains("lite2.10", StringComparison.Ordinal) ? "v2.10-rc" : "v2.13-rc", version.GetString());
            }
            Assert.True(r.GetProperty("params").GetProperty("loaded").GetBoolean());
            var (textCode, text, _) = Run("inspect", nb);
            Assert.Equal(0, textCode);
            Assert.Contains("format:     paddle_lite", text);
            Assert.Contains($"(meta_version {meta})", text);
        }
    }

    [Fact]
    public void Inspect_Text_ShowsFormatInputsAndOperators()
    {
        var (code, stdout, _) = Run("inspect", SharedData.Path("models", "cls", "ShuffleNetV2_imagenet"));
        Assert.Equal(0, code);
        Assert.Contains("legacy_separate", stdout);
        Assert.Contains("image", stdout);
        Assert.Contains("[-1, 3, 224, 224]", stdout);
        Assert.Contains("batch_norm", stdout);
    }

    [Fact]
    public void Inspect_MissingModel_ExitsWithUserErrorAndNoStackTrace()
    {
        var (code, _, stderr) = Run("inspect", "/nonexistent/model/dir");
        Assert.Equal(1, code);
        Assert.Contains("no such file or directory", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Inspect_BadArguments_ExitsWithUserError()
    {
        var (code, _, _) = Run("inspect");
        Assert.Equal(1, code);
    }

    [Fact]
    public void Help_Works_ForRootAndSubcommand()
    {
        Assert.Equal(0, Run("--help").Code);
        var (code, stdout, _) = Run("inspect", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--json", stdout);
    }
}

public sealed class NpyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paddlenet-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_TruncatedAtEveryLength_ThrowsPaddleNetException()
    {
        var source = SharedData.Path("ops", "conv2d", "k3_s1_p1", "reference", "k3_s1_p1.in.x.npy");
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(_dir, "t.npy");
        for (int n = 0; n < bytes.Length; n++)
        {
            File.WriteAllBytes(path, bytes[..n]);
            Assert.Throws<PaddleNetException>(() => NpyFile.Read(path));
        }
        File.WriteAllBytes(path, bytes);
        Assert.Equal([1, 3, 9, 9], NpyFile.Read(path).Shape.ToArray());
    }

    [Fact]
    public void WriteThenRead_RoundTripsEveryDtype()
    {
        var path = Path.Combine(_dir, "r.npy");
        foreach (var t in new[] { Tensor.FromSpan<float>([1.5f, -2f, 3f], [3]), Tensor.FromSpan<long>([7, 8, 9, 10], [2, 2]), Tensor.FromSpan<int>([42], []) })
        {
            NpyFile.Write(path, t);
            var back = NpyFile.Read(path);
            Assert.Equal(t.DataType, back.DataType);
            Assert.Equal(t.Shape.ToArray(), back.Shape.ToArray());
            Assert.True(t.Bytes.SequenceEqual(back.Bytes));
        }
    }

    [Fact]
    public void Run_TruncatedInputFile_ExitsWithUserError()
    {
        var path = Path.Combine(_dir, "bad.npy");
        File.WriteAllBytes(path, File.ReadAllBytes(SharedData.Path("ops", "relu", "basic", "reference", "basic.in.x.npy"))[..60]);
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(["run", SharedData.Path("ops", "relu", "basic", "legacy"), "--input", $"x={path}", "--output-dir", Path.Combine(_dir, "out")], o, e);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", e.ToString());
    }
}
