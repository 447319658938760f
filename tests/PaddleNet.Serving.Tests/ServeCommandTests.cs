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

    /// <summary><c>--max-image-pixels</c> on serve overrides the serving.yaml's max_image_pixels: a 32x32 digit is
    /// answered 200 at a limit of 1024 pixels and refused with 400 (naming the limit) at 1023.</summary>
    [Theory]
    [InlineData(1024, 200)]
    [InlineData(1023, 400)]
    public void MaxImagePixels_OverridesTheServingYaml(long limit, int expected)
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-serve-cli-").FullName;
        string path = Path.Combine(folder, "serving.yaml");
        File.WriteAllText(path, $"host: 127.0.0.1\nhttp_port: 0\nmax_image_pixels: 100000000\nmodels:\n{TestServer.DigitsModel()}\n");
        byte[] digit = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models", "digits", "images", "0_0036.png"));
        int status = 0;
        string body = "";
        var command = PaddleNet.Cli.Commands.ServeCommand.Create(new StringWriter(), async server =>
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
            using var answer = await http.PostAsync("/v1/models/digits:predict",
                new StringContent($"{{\"image\":\"{Convert.ToBase64String(digit)}\"}}", System.Text.Encoding.UTF8, "application/json"));
            status = (int)answer.StatusCode;
            body = await answer.Content.ReadAsStringAsync();
        });

        int code = command.Parse(["--config", path, "--max-image-pixels", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Invoke();

        Assert.Equal(PaddleNet.Cli.Program.Ok, code);
        Assert.Equal(expected, status);
        if (expected == 400) Assert.Contains("1023", body, StringComparison.Ordinal);
        Directory.Delete(folder, true);
    }
}
