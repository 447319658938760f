using System.Diagnostics;

namespace PaddleNet.Serving.Tests;

/// <summary>The drop-an-image page in headless Chromium (Debian <c>chromium</c>): the DOM after it classified an image, and a screenshot.</summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task WebPage_ShowsTopK()
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.ImagenetModel()}
            {TestServer.DigitsModel()}
            """);
        string png = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png")));
        string url = $"{s.BaseUrl}/?model=digits#image={Uri.EscapeDataString("data:image/png;base64," + png)}";

        string dom = await Chromium(s.Folder, "--dump-dom", url);
        Assert.Contains("done: digits", dom);
        Assert.Matches(@"<tr><td>1</td><td>0</td><td>zero</td><td>0\.8\d{4}</td></tr>", dom);

        string shot = Path.Combine(s.Folder, "page.png");
        await Chromium(s.Folder, $"--screenshot={shot}", "--window-size=900,700", url);
        byte[] bytes = File.ReadAllBytes(shot);
        Assert.True(bytes.Length > 5000, $"screenshot is {bytes.Length} bytes");
        var image = PaddleNet.Imaging.Image.Decode(bytes);
        Assert.Equal(900, image.Width);
        // The results table header is drawn in the page's green (#3a6 = RGB 51,170,102; BGR in memory).
        var px = image.Pixels;
        bool green = false;
        for (int i = 0; i + 2 < px.Length && !green; i += 3) green = px[i] == 102 && px[i + 1] == 170 && px[i + 2] == 51;
        Assert.True(green, "no table header colour in the screenshot");
    }

    [Fact]
    public async Task WebPage_Ocr_DrawsBoxesAndListsText()
    {
        string m = SharedData.Root;
        string folder = Directory.CreateTempSubdirectory("paddlenet-ocr-page-").FullName;
        string yml = Path.Combine(folder, "ocr.yml");
        File.WriteAllText(yml, $"det_model_dir: {Path.Combine(m, "models/det/ch_PP-OCRv4_det")}\nrec_model_dir: {Path.Combine(m, "models/rec/ch_PP-OCRv4_rec")}\n" +
            $"rec_char_dict_path: {Path.Combine(m, "models/labels/ppocr_keys_v1.txt")}\n");
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
              ocr_system:
                kind: ocr
                config: {yml}
                limits: {"{timeout_ms: 600000}"}
            """);
        string jpg = Convert.ToBase64String(SharedData.ReadAllBytes("models/images/scenes/ocr_scene_11.jpg"));
        string url = $"{s.BaseUrl}/?model=ocr_system#image={Uri.EscapeDataString("data:image/jpeg;base64," + jpg)}";

        string dom = await Chromium(s.Folder, "--dump-dom", url);

        Assert.Contains("done: ocr_system", dom);
        Assert.Contains("<td>纯臻营养护发素</td>", dom);
        Assert.Contains("<canvas id=\"boxes\" style=", dom); // shown: the hidden attribute is gone
        string shot = Path.Combine(s.Folder, "ocr.png");
        await Chromium(s.Folder, $"--screenshot={shot}", "--window-size=900,1400", url);
        var px = PaddleNet.Imaging.Image.Decode(File.ReadAllBytes(shot)).Pixels;
        bool red = false;
        for (int i = 0; i + 2 < px.Length && !red; i += 3) red = px[i] == 51 && px[i + 1] == 51 && px[i + 2] == 238; // #e33 box outline (BGR)
        Assert.True(red, "no box outline colour in the screenshot");
        Directory.Delete(folder, true);
    }

    private static async Task<string> Chromium(string folder, params string[] args)
    {
        string profile = Directory.CreateTempSubdirectory("paddlenet-chromium-").FullName;
        var psi = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=15000" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start (apt-get install chromium)");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(p.ExitCode == 0, await stderr);
            return await stdout;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
