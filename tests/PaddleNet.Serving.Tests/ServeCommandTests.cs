namespace PaddleNet.Serving.Tests;

/// <summary><c>paddlenet serve</c> argument handling (the running server is covered by the protocol tests).</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void MissingConfig_IsAUserError()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(["serve", "-c", "/nonexistent/serving.yaml"], stdout, stderr);
        Assert.Equal(PaddleNet.Cli.Program.UserError, code);
        Assert.Contains("config not found", stderr.ToString());
    }

    [Fact]
    public void BadServingYaml_IsAUserError()
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-serve-cli-").FullName;
        string path = Path.Combine(folder, "serving.yaml");
        File.WriteAllText(path, "models:\n  m:\n    config: missing.yaml\n");
        var stderr = new StringWriter();
        Assert.Equal(PaddleNet.Cli.Program.UserError, PaddleNet.Cli.Program.Run(["serve", "--config", path], new StringWriter(), stderr));
        Assert.Contains("models.m.config", stderr.ToString());
    }
}
