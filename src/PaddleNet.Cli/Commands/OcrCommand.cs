using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PaddleNet.Imaging;
using PaddleNet.Ocr;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet ocr --image_dir PATH --det_model_dir D --rec_model_dir R [--use_angle_cls true --cls_model_dir C] …</c>:
/// PaddleOCR's <c>tools/infer/predict_system.py</c> with its flag names. Prints each line's text and score, writes
/// <c>system_results.txt</c> (image name, tab, JSON list of transcription/points) and a drawn picture per image into
/// <c>--draw_img_save_dir</c>.
/// </summary>
internal static class OcrCommand
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"];

    public static Command Create(TextWriter stdout)
    {
        var imageDir = new Option<string>("--image_dir") { Description = "An image file or a folder of images", Required = true };
        var detModel = new Option<string?>("--det_model_dir") { Description = "Detection model: a folder (legacy or PIR program), a program file, or a .nb" };
        var clsModel = new Option<string?>("--cls_model_dir") { Description = "Direction classifier model" };
        var recModel = new Option<string?>("--rec_model_dir") { Description = "Recognition model" };
        var useCls = new Option<bool>("--use_angle_cls") { Description = "Classify each line's direction and turn 180° ones" };
        var dict = new Option<string?>("--rec_char_dict_path") { Description = "Recognition dictionary (default: ppocr_keys_v1.txt beside the rec model)" };
        var space = new Option<bool>("--use_space_char") { Description = "The class after the dictionary is a space", DefaultValueFactory = _ => true };
        var dbThresh = new Option<float>("--det_db_thresh") { DefaultValueFactory = _ => 0.3f };
        var boxThresh = new Option<double>("--det_db_box_thresh") { DefaultValueFactory = _ => 0.6 };
        var unclip = new Option<double>("--det_db_unclip_ratio") { DefaultValueFactory = _ => 1.5 };
        var scoreMode = new Option<string>("--det_db_score_mode") { Description = "fast or slow", DefaultValueFactory = _ => "fast" };
        var dilation = new Option<bool>("--use_dilation") { Description = "Dilate the text map before finding contours" };
        var limitSide = new Option<int>("--det_limit_side_len") { DefaultValueFactory = _ => 960 };
        var limitType = new Option<string>("--det_limit_type") { Description = "max, min or resize_long", DefaultValueFactory = _ => "max" };
        var recShape = new Option<string>("--rec_image_shape") { Description = "C, H, W (a height the model fixes wins)", DefaultValueFactory = _ => "3, 48, 320" };
        var recBatch = new Option<int>("--rec_batch_num") { DefaultValueFactory = _ => 6 };
        var clsShape = new Option<string>("--cls_image_shape") { DefaultValueFactory = _ => "3, 48, 192" };
        var clsBatch = new Option<int>("--cls_batch_num") { DefaultValueFactory = _ => 6 };
        var clsThresh = new Option<double>("--cls_thresh") { DefaultValueFactory = _ => 0.9 };
        var dropScore = new Option<double>("--drop_score") { DefaultValueFactory = _ => 0.5 };
        var det = new Option<bool>("--det") { Description = "false: recognise the whole image as one line", DefaultValueFactory = _ => true };
        var rec = new Option<bool>("--rec") { Description = "false: detect only", DefaultValueFactory = _ => true };
        var drawDir = new Option<string>("--draw_img_save_dir") { Description = "Folder for system_results.txt and the drawn pictures", DefaultValueFactory = _ => "./inference_results" };
        var visFont = new Option<string?>("--vis_font_path") { Description = $"Font for the text in the drawn pictures (any script; TrueType/OpenType). Default: {DefaultFont} when installed (Debian's fonts-droid-fallback); without a font non-Latin lines are numbered" };
        var threads = new Option<int>("--cpu_threads") { Description = "Intra-op threads per model", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print [{image, results: [{text, score, box}]}] instead of the text lines" };
        var benchmark = new Option<bool>("--benchmark") { Description = "Print the time of each stage (det / cls / rec: pre, model, post)" };
        var repeat = new Option<int>("--repeat") { Description = "With --benchmark: run each image this many times after one warm-up, report the medians", DefaultValueFactory = _ => 1 };
        var maxPixels = ConfigOptions.MaxImagePixels();
        var command = new Command("ocr", "Read text with PaddleOCR models (det -> cls -> rec), as tools/infer/predict_system.py")
        {
            imageDir, detModel, clsModel, recModel, useCls, dict, space, dbThresh, boxThresh, unclip, scoreMode, dilation, limitSide,
            limitType, recShape, recBatch, clsShape, clsBatch, clsThresh, dropScore, det, rec, drawDir, visFont, threads, json, benchmark, repeat, maxPixels,
        };
        command.SetAction(r =>
        {
            var files = ImageFiles(r.GetValue(imageDir)!);
            var decode = ConfigOptions.Decode(r.GetValue(maxPixels));
            string? fontPath = r.GetValue(visFont);
            if (fontPath is not null && !File.Exists(fontPath)) throw new PaddleNetException($"--vis_font_path: no such file: {fontPath}");
            // Latin glyphs from DejaVu Sans where the chosen font lacks them (Droid Sans Fallback is CJK only).
            var fonts = new[] { fontPath ?? (File.Exists(DefaultFont) ? DefaultFont : null), File.Exists(LatinFont) ? LatinFont : null }
                .OfType<string>().Distinct().ToArray();
            int t = Math.Max(1, r.GetValue(threads));
            string? recPath = r.GetValue(recModel);
            var options = new OcrSystemOptions
            {
                DetModelPath = r.GetValue(detModel),
                ClsModelPath = r.GetValue(clsModel),
                RecModelPath = recPath,
                DictionaryPath = r.GetValue(dict) ?? DefaultDictionary(recPath, r.GetValue(rec)),
                UseAngleClassifier = r.GetValue(useCls),
                DropScore = r.GetValue(dropScore),
                Detect = r.GetValue(det),
                Recognize = r.GetValue(rec),
                Detector = new TextDetectorOptions
                {
                    LimitSideLength = r.GetValue(limitSide),
                    LimitType = r.GetValue(limitType) switch
                    {
                        "max" => DetLimitType.Max,
                        "min" => DetLimitType.Min,
                        "resize_long" => DetLimitType.ResizeLong,
                        var other => throw new PaddleNetException($"--det_limit_type: expected max, min or resize_long, got '{other}'"),
                    },
                    Threads = t,
                    Db = new DbOptions
                    {
                        Threshold = r.GetValue(dbThresh),
                        BoxThreshold = r.GetValue(boxThresh),
                        UnclipRatio = r.GetValue(unclip),
                        UseDilation = r.GetValue(dilation),
                        ScoreMode = r.GetValue(scoreMode) switch
                        {
                            "fast" => DbScoreMode.Fast,
                            "slow" => DbScoreMode.Slow,
                            var other => throw new PaddleNetException($"--det_db_score_mode: expected fast or slow, got '{other}'"),
                        },
                    },
                },
                Classifier = new TextClassifierOptions { ImageShape = Shape(r.GetValue(clsShape)!, "--cls_image_shape"), BatchSize = r.GetValue(clsBatch), Threshold = r.GetValue(clsThresh), Threads = t },
                Recognizer = new TextRecognizerOptions { ImageShape = Shape(r.GetValue(recShape)!, "--rec_image_shape"), BatchSize = r.GetValue(recBatch), UseSpaceChar = r.GetValue(space), Threads = t },
            };
            using var ocr = OcrSystem.Load(options);
            string dir = r.GetValue(drawDir)!;
            Directory.CreateDirectory(dir);
            bool asJson = r.GetValue(json), bench = r.GetValue(benchmark);
            int repeats = Math.Max(1, r.GetValue(repeat));
            var saved = new StringBuilder();
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartArray();
                foreach (string file in files)
                {
                    Image image = Image.Decode(file, decode);
                    long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                    OcrResult result = ocr.Run(image);
                    double elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    if (bench && repeats > 1) (result, elapsed) = Repeat(ocr, image, repeats);
                    string name = Path.GetFileName(file);
                    saved.Append(name).Append('\t').Append(SystemResultsJson(result, options)).Append('\n');
                    File.WriteAllBytes(Path.Combine(dir, DrawnName(name)), Encode(OcrVisualizer.Draw(image, result, fonts), DrawnName(name)));
                    if (asJson)
                    {
                        WriteJson(w, file, result);
                    }
                    else
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Predict time of {file}: {elapsed:F3}s"));
                        foreach (var line in result.Lines)
                        {
                            stdout.WriteLine(line.Text is null
                                ? string.Create(CultureInfo.InvariantCulture, $"{BoxText(line.Box!)}, {line.Score:F3}")
                                : string.Create(CultureInfo.InvariantCulture, $"{line.Text}, {line.Score:F3}"));
                        }
                    }

                    if (bench) stdout.WriteLine(BenchmarkLine(file, result, elapsed, repeats));
                }

                w.WriteEndArray();
            }

            string results = Path.Combine(dir, "system_results.txt");
            File.WriteAllText(results, saved.ToString(), new UTF8Encoding(false));
            if (asJson) stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            else stdout.WriteLine($"The visualized images and {Path.GetFileName(results)} saved in {dir}");
            return Program.Ok;
        });
        return command;
    }

    /// <summary>Runs once to warm up, then <paramref name="n"/> times; returns the run with the median total and that total (s).</summary>
    private static (OcrResult, double) Repeat(OcrSystem ocr, Image image, int n)
    {
        ocr.Run(image);
        var runs = new List<(OcrResult R, double S)>();
        for (int i = 0; i < n; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var r = ocr.Run(image);
            runs.Add((r, System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds));
        }

        runs.Sort((a, b) => a.S.CompareTo(b.S));
        return runs[runs.Count / 2];
    }

    private static string BenchmarkLine(string file, OcrResult r, double seconds, int repeats)
    {
        static string S(string name, StageTimes t) => string.Create(CultureInfo.InvariantCulture,
            $"{name} {t.Total:F2} ms (pre {t.Preprocess:F2}, model {t.Model:F2}, post {t.Postprocess:F2}; {t.Runs} run{(t.Runs == 1 ? "" : "s")})");
        return string.Create(CultureInfo.InvariantCulture,
            $"[benchmark] {Path.GetFileName(file)}: total {seconds * 1000:F2} ms{(repeats > 1 ? $" (median of {repeats})" : "")} | {S("det", r.Det)} | crop {r.Crop:F2} ms | {S("cls", r.Cls)} | {S("rec", r.Rec)}");
    }

    private static string DefaultDictionary(string? recPath, bool recognize)
    {
        if (!recognize || recPath is null) return "";
        string dir = Directory.Exists(recPath) ? recPath : Path.GetDirectoryName(Path.GetFullPath(recPath))!;
        string beside = Path.Combine(dir, "ppocr_keys_v1.txt");
        return File.Exists(beside) ? beside : throw new PaddleNetException($"--rec_char_dict_path is required: no ppocr_keys_v1.txt beside {recPath}");
    }

    private static int[] Shape(string text, string flag)
    {
        try
        {
            return text.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new PaddleNetException($"{flag}: expected three integers like \"3, 48, 320\", got '{text}'");
        }
        catch (OverflowException)
        {
            throw new PaddleNetException($"{flag}: expected three integers like \"3, 48, 320\", got '{text}'");
        }
    }

    private static List<string> ImageFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new PaddleNetException($"--image_dir: no such file or folder: {path}");
        var files = Directory.EnumerateFiles(path)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0 ? files : throw new PaddleNetException($"--image_dir: no images ({string.Join(", ", ImageExtensions)}) in {path}");
    }

    /// <summary>Debian's CJK-capable font (fonts-droid-fallback, Apache-2.0), the default of --vis_font_path where installed.</summary>
    private const string DefaultFont = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

    /// <summary>Debian's fonts-dejavu-core, for the Latin characters a CJK fallback font lacks.</summary>
    private const string LatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static string DrawnName(string name) => Image.FormatFromExtension(name) is null ? Path.ChangeExtension(name, ".png") : name;

    private static byte[] Encode(Image drawn, string name)
    {
        ImageFileFormat format = Image.FormatFromExtension(name) ?? ImageFileFormat.Png;
        return drawn.Encode(format, -1);
    }

    /// <summary>The JSON predict_system writes per image: <c>json.dumps([{"transcription", "points"}], ensure_ascii=False)</c>.</summary>
    internal static string SystemResultsJson(OcrResult result, OcrSystemOptions options)
    {
        var sb = new StringBuilder("[");
        bool first = true;
        foreach (var line in result.Lines)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append("{\"transcription\": ");
            if (line.Text is null) sb.Append("null"); else PyJsonString(sb, line.Text);
            sb.Append(", \"points\": ");
            sb.Append(line.Box is null ? "[]" : BoxText(line.Box));
            sb.Append('}');
        }

        return sb.Append(']').ToString();
    }

    private static string BoxText(float[] box) => string.Create(CultureInfo.InvariantCulture,
        $"[[{(int)box[0]}, {(int)box[1]}], [{(int)box[2]}, {(int)box[3]}], [{(int)box[4]}, {(int)box[5]}], [{(int)box[6]}, {(int)box[7]}]]");

    /// <summary>A string as Python's json.dumps(ensure_ascii=False) writes it.</summary>
    private static void PyJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    private static void WriteJson(Utf8JsonWriter w, string file, OcrResult result)
    {
        w.WriteStartObject();
        w.WriteString("image", file);
        w.WriteStartArray("results");
        foreach (var line in result.Lines)
        {
            w.WriteStartObject();
            if (line.Text is null) w.WriteNull("text"); else w.WriteString("text", line.Text);
            w.WriteNumber("score", Math.Round(line.Score, 5));
            if (line.Box is null)
            {
                w.WriteNull("box");
            }
            else
            {
                w.WriteStartArray("box");
                for (int i = 0; i < 4; i++)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue((int)line.Box[2 * i]);
                    w.WriteNumberValue((int)line.Box[2 * i + 1]);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
