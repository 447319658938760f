namespace PaddleNet.Ocr.Tests;

/// <summary>The shared OCR models and photos; a missing file fails the test (SharedData throws), nothing skips.</summary>
internal static class Models
{
    public static string Dir(string relative)
    {
        string full = Path.Combine(SharedData.Root, relative);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Shared test folder is missing: {full}");
        return full;
    }

    public static string DetV4 => Dir("models/det/ch_PP-OCRv4_det");
    public static string DetV3 => Dir("models/det/ch_PP-OCRv3_det");
    public static string RecV4 => Dir("models/rec/ch_PP-OCRv4_rec");
    public static string Cls => Dir("models/cls/ch_ppocr_mobile_v2.0_cls");
    public static string ClsTextline => Dir("models/cls/PP-LCNet_x0_25_textline_ori");
    public static string LiteDet => SharedData.PathOf("models/lite/ppocr_v2.0_slim_lite2.10/ch_ppocr_mobile_v2.0_det_slim_opt.nb");
    public static string LiteCls => SharedData.PathOf("models/lite/ppocr_v2.0_slim_lite2.10/ch_ppocr_mobile_v2.0_cls_slim_opt.nb");
    public static string LiteRec => SharedData.PathOf("models/lite/ppocr_v2.0_slim_lite2.10/ch_ppocr_mobile_v2.0_rec_slim_opt.nb");
    public static string Keys => SharedData.PathOf("models/labels/ppocr_keys_v1.txt");
    public static string Scene11 => SharedData.PathOf("models/images/scenes/ocr_scene_11.jpg");

    public static string Word(string name) => SharedData.PathOf("models/images/ocr_words/" + name);

    /// <summary>The 14 lines the independent ONNX pipeline reads off ocr_scene_11.jpg (peer_ocr_scene_11.json).</summary>
    public static string[] PeerLines()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("models/rec/ch_PP-OCRv4_rec/peer_ocr_scene_11.json")));
        return doc.RootElement.GetProperty("texts").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }
}
