using PaddleNet.Imaging;
using PaddleNet.Yaml;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Detection.Preprocessing;

/// <summary>
/// The <c>Preprocess</c> list of an <c>infer_cfg.yml</c>. <see cref="Run"/> turns a decoded image into what
/// PaddleDetection v2.6 <c>deploy/python</c> feeds: a float32 CHW image, <c>im_shape</c> and <c>scale_factor</c>.
/// </summary>
public sealed class Preprocessor
{
    /// <summary>Op types this reader knows (PaddleDetection's deploy ops).</summary>
    public static IReadOnlyList<string> SupportedOps { get; } = ["Resize", "NormalizeImage", "Permute", "PadStride"];

    /// <summary>A preprocessor running <paramref name="ops"/> in order.</summary>
    public Preprocessor(IReadOnlyList<PreprocessOp> ops) => Ops = ops.ToArray();

    /// <summary>The ops, in the order they run.</summary>
    public IReadOnlyList<PreprocessOp> Ops { get; }

    /// <summary>
    /// Runs the ops on <paramref name="image"/> (any <see cref="PixelFormat"/>; converted to RGB first, as deploy/python
    /// does after <c>cv2.imdecode</c>: gray is replicated, alpha dropped).
    /// </summary>
    public PreprocessedImage Run(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var state = new PreprocessState(image.ToRgb());
        foreach (var op in Ops)
        {
            op.Apply(state);
        }

        if (!state.IsChw)
        {
            throw new PaddleNetException("Preprocess must produce a CHW image: the list needs a Permute op");
        }

        return new PreprocessedImage(state.Floats!, state.Channels, state.Height, state.Width, state.ImShape, state.ScaleFactor);
    }

    internal static Preprocessor Parse(YamlSequenceNode list, YamlConfig y)
    {
        var ops = new List<PreprocessOp>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            string key = $"Preprocess[{i}]";
            if (list.Children[i] is not YamlMappingNode node)
            {
                throw y.Error(list.Children[i], key, "must be a mapping with a 'type'");
            }

            var map = y.Map(node, key);
            string type = y.String(map, key, "type") ?? throw y.Error(node, key, "has no 'type'");
            ops.Add(type switch
            {
                "Resize" => ParseResize(map, y, key),
                "NormalizeImage" => ParseNormalize(map, y, key),
                "Permute" => new PermuteOp(),
                "PadStride" => new PadStrideOp((int)(y.Integer(map, key, "stride", 0, 4096) ?? 0)),
                "TopDownEvalAffine" => throw y.Error(node, key, "op 'TopDownEvalAffine' (keypoint models) is not supported yet"),
                _ => throw y.Error(node, key, $"unknown preprocess op '{type}' (supported: {string.Join(", ", SupportedOps)})"),
            });
        }

        return new Preprocessor(ops);
    }

    private static ResizeOp ParseResize(Dictionary<string, YamlNode> map, YamlConfig y, string key)
    {
        double[] target = y.Doubles(map, key, "target_size") ?? throw y.Error(null, key, "Resize: missing 'target_size'");
        if (target.Length == 1) target = [target[0], target[0]];
        if (target.Length != 2 || target.Any(t => t <= 0 || t != Math.Floor(t) || t > int.MaxValue))
        {
            throw y.Error(map["target_size"], key, "Resize: 'target_size' must be one or two positive integers");
        }

        int interp = (int)(y.Integer(map, key, "interp", int.MinValue, int.MaxValue) ?? 1);
        if (interp is < 0 or > 4)
        {
            throw y.Error(map["interp"], key, $"Resize: 'interp' {interp} is not an OpenCV interpolation (0-4)");
        }

        return new ResizeOp((int)target[0], (int)target[1], y.Bool(map, key, "keep_ratio") ?? true, (Interpolation)interp);
    }

    private static NormalizeImageOp ParseNormalize(Dictionary<string, YamlNode> map, YamlConfig y, string key)
    {
        string normType = y.String(map, key, "norm_type") ?? "mean_std";
        if (normType is not ("mean_std" or "none"))
        {
            throw y.Error(map["norm_type"], key, $"NormalizeImage: unknown norm_type '{normType}'");
        }

        bool meanStd = normType == "mean_std";
        double[] mean = y.Doubles(map, key, "mean") ?? (meanStd ? throw y.Error(null, key, "NormalizeImage: missing 'mean'") : []);
        double[] std = y.Doubles(map, key, "std") ?? (meanStd ? throw y.Error(null, key, "NormalizeImage: missing 'std'") : []);
        if (meanStd && std.Any(s => s == 0))
        {
            throw y.Error(map["std"], key, "NormalizeImage: 'std' contains 0");
        }

        return new NormalizeImageOp(mean, std, y.Bool(map, key, "is_scale") ?? true, meanStd);
    }
}
