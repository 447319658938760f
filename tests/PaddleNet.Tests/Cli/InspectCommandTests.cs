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
        var (code, stdout, _) = Run("inspect", Shared.Path("models", "zoo", "PPLCNet_x0_25", "pir"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("pir_json", r.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("producer_version").ValueKind);
        Assert.Equal(4, r.GetProperty("pir_version").GetInt32());
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

    [Fact]
    public void Inspect_Text_ShowsFormatInputsAndOperators()
    {
        var (code, stdout, _) = Run("inspect", Shared.Path("models", "cls", "ShuffleNetV2_imagenet"));
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
