using System.Text.Json;

namespace PaddleNet.Ocr.Tests;

/// <summary><c>paddlenet ocr</c> with PaddleOCR's flag names: its outputs and exit codes.</summary>
public sealed class OcrCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Scene11_PrintsLines_WritesSystemResultsAndPicture()
    {
        string dir = Directory.CreateTempSubdirectory("ocr-cli").FullName;
        try
        {
            var (code, stdout, stderr) = Run("ocr", "--image_dir", Models.Scene11, "--det_model_dir", Models.DetV4, "--rec_model_dir", Models.RecV4,
                "--rec_char_dict_path", Models.Keys, "--draw_img_save_dir", dir, "--benchmark");

            Assert.True(code == 0, stderr);
            Assert.Contains("纯臻营养护发素, 0.99", stdout);
            Assert.Contains("[benchmark] ocr_scene_11.jpg: total", stdout);
            string line = Assert.Single(File.ReadAllLines(Path.Combine(dir, "system_results.txt")));
            Assert.StartsWith("ocr_scene_11.jpg\t[{\"transcription\": \"纯臻营养护发素\", \"points\": [[28, 37], [302, 39], [302, 72], [27, 70]]}, ", line);
            var parsed = JsonDocument.Parse(line.Split('\t')[1]).RootElement;
            Assert.Equal(16, parsed.GetArrayLength());
            var drawn = PaddleNet.Imaging.Image.Decode(Path.Combine(dir, "ocr_scene_11.jpg"));
            Assert.Equal((1000, 500), (drawn.Width, drawn.Height));
            // The first line's text drawn in the right panel with the default CJK font (fonts-droid-fallback, a test
            // package): seven ~26 px glyphs ink far more of its box's inside than the Hershey fallback's "#1" would.
            var px = drawn.ToBgr().Pixels;
            int ink = 0;
            for (int y = 41; y < 68; y++)
            {
                for (int x = 500 + 32; x < 500 + 298; x++)
                {
                    int i = (y * 1000 + x) * 3;
                    if (px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100) ink++;
                }
            }

            Assert.True(ink > 1000, $"{ink} dark pixels where 纯臻营养护发素 is drawn");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Json_RecognitionOnly_DictionaryFoundBesideTheRecModel()
    {
        string dir = Directory.CreateTempSubdirectory("ocr-cli").FullName;
        try
        {
            var (code, stdout, stderr) = Run("ocr", "--image_dir", Models.Word("imgs_words_ch/word_4.jpg"), "--det", "false", "--rec_model_dir", Models.RecV4,
                "--use_angle_cls", "true", "--cls_model_dir", Models.Cls, "--draw_img_save_dir", dir, "--json");

            Assert.True(code == 0, stderr);
            var doc = JsonDocument.Parse(stdout).RootElement;
            var result = doc[0].GetProperty("results")[0];
            Assert.Equal("实力活力", result.GetProperty("text").GetString());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("box").ValueKind);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void WrongDictionary_ExitsOneNamingIt()
    {
        var (code, _, stderr) = Run("ocr", "--image_dir", Models.Scene11, "--det_model_dir", Models.DetV4, "--rec_model_dir", Models.RecV4,
            "--rec_char_dict_path", SharedData.PathOf("models/labels/ic15_dict.txt"), "--draw_img_save_dir", Path.GetTempPath());

        Assert.Equal(1, code);
        Assert.Contains("ic15_dict.txt", stderr);
    }

    [Fact]
    public void DetModelAsRec_ExitsOne()
    {
        var (code, _, stderr) = Run("ocr", "--image_dir", Models.Scene11, "--det_model_dir", Models.DetV4, "--rec_model_dir", Models.DetV4,
            "--rec_char_dict_path", Models.Keys, "--draw_img_save_dir", Path.GetTempPath());

        Assert.Equal(1, code);
        Assert.Contains("rec_model_dir", stderr);
    }

    [Fact]
    public void MissingFont_ExitsOneNamingIt()
    {
        var (code, _, stderr) = Run("ocr", "--image_dir", Models.Scene11, "--det_model_dir", Models.DetV4, "--rec_model_dir", Models.RecV4,
            "--vis_font_path", "/nowhere/simfang.ttf");

        Assert.Equal(1, code);
        Assert.Contains("--vis_font_path: no such file: /nowhere/simfang.ttf", stderr);
    }

    [Fact]
    public void MissingImage_ExitsOne()
    {
        var (code, _, stderr) = Run("ocr", "--image_dir", "/nonexistent.jpg", "--det_model_dir", Models.DetV4, "--rec_model_dir", Models.RecV4);

        Assert.Equal(1, code);
        Assert.Contains("/nonexistent.jpg", stderr);
    }
}
