using System.Globalization;
using PaddleNet.Ocr;
using PaddleNet.Serving.Config;

namespace PaddleNet.Serving.Models.Ocr;

/// <summary>
/// Reads an OCR model config: a YAML mapping whose keys are PaddleOCR's argument names (as in
/// <c>deploy/hubserving/ocr_system/params.py</c> and <c>paddlenet ocr</c>); relative paths resolve against the file's folder.
/// <code>
/// det_model_dir: ch_PP-OCRv4_det
/// rec_model_dir: ch_PP-OCRv4_rec
/// rec_char_dict_path: ppocr_keys_v1.txt
/// use_angle_cls: true
/// cls_model_dir: ch_ppocr_mobile_v2.0_cls
/// </code>
/// </summary>
public static class OcrConfigReader
{
    private static readonly string[] Keys =
    [
        "det_model_dir", "cls_model_dir", "rec_model_dir", "rec_char_dict_path", "use_angle_cls", "use_space_char", "det_db_thresh",
        "det_db_box_thresh", "det_db_unclip_ratio", "det_db_score_mode", "use_dilation", "det_limit_side_len", "det_limit_type",
        "rec_image_shape", "rec_batch_num", "cls_image_shape", "cls_batch_num", "cls_thresh", "drop_score",
    ];

    /// <summary>Reads the OCR config at <paramref name="path"/>, its models running <paramref name="threads"/> threads each.</summary>
    public static OcrSystemOptions Read(string path, int threads)
    {
        var y = ServingConfigLoader.Yaml(path);
        var root = y.LoadMapping();
        var map = y.Map(root, "", Keys);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? P(string key) => y.String(map, "", key) is { } v ? Path.GetFullPath(v, dir) : null;
        string S(string key, string fallback) => y.String(map, "", key) ?? fallback;
        double D(string key, double fallback) => y.Double(map, "", key) ?? fallback;
        bool B(string key, bool fallback) => y.Bool(map, "", key) ?? fallback;
        int I(string key, int fallback) => (int)(y.Integer(map, "", key, 1, 100_000) ?? fallback);
        int[] Shape(string key, string fallback)
        {
            string v = S(key, fallback);
            try
            {
                return v.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray();
            }
            catch (FormatException)
            {
                throw y.Error(map[key], key, "must be three integers like \"3, 48, 320\"");
            }
        }

        return new OcrSystemOptions
        {
            DetModelPath = P("det_model_dir") ?? throw y.Error(root, "det_model_dir", "is required"),
            RecModelPath = P("rec_model_dir") ?? throw y.Error(root, "rec_model_dir", "is required"),
            ClsModelPath = P("cls_model_dir"),
            DictionaryPath = P("rec_char_dict_path") ?? throw y.Error(root, "rec_char_dict_path", "is required"),
            UseAngleClassifier = B("use_angle_cls", false),
            DropScore = D("drop_score", 0.5),
            Detector = new TextDetectorOptions
            {
                LimitSideLength = I("det_limit_side_len", 960),
                LimitType = S("det_limit_type", "max") switch
                {
                    "max" => DetLimitType.Max,
                    "min" => DetLimitType.Min,
                    "resize_long" => DetLimitType.ResizeLong,
                    _ => throw y.Error(map["det_limit_type"], "det_limit_type", "must be max, min or resize_long"),
                },
                Threads = threads,
                Db = new DbOptions
                {
                    Threshold = (float)D("det_db_thresh", 0.3),
                    BoxThreshold = D("det_db_box_thresh", 0.6),
                    UnclipRatio = D("det_db_unclip_ratio", 1.5),
                    UseDilation = B("use_dilation", false),
                    ScoreMode = S("det_db_score_mode", "fast") switch
                    {
                        "fast" => DbScoreMode.Fast,
                        "slow" => DbScoreMode.Slow,
                        _ => throw y.Error(map["det_db_score_mode"], "det_db_score_mode", "must be fast or slow"),
                    },
                },
            },
            Classifier = new TextClassifierOptions { ImageShape = Shape("cls_image_shape", "3, 48, 192"), BatchSize = I("cls_batch_num", 6), Threshold = D("cls_thresh", 0.9), Threads = threads },
            Recognizer = new TextRecognizerOptions { ImageShape = Shape("rec_image_shape", "3, 48, 320"), BatchSize = I("rec_batch_num", 6), UseSpaceChar = B("use_space_char", true), Threads = threads },
        };
    }
}
