using PaddleNet.Imaging;
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

    public Preprocessor(IReadOnlyList<PreprocessOp> ops) => Ops = ops.ToArray();

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

    internal static Preprocessor Parse(YamlSequenceNode list, YamlReader reader)
    {
        var ops = new List<PreprocessOp>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode map)
            {
                throw new DetectionConfigException(reader.Path, $"Preprocess[{i}] must be a mapping with a 'type'");
            }

            string type = reader.String(map, "type") ?? throw new DetectionConfigException(reader.Path, $"Preprocess[{i}] has no 'type'");
            ops.Add(type switch
            {
                "Resize" => ParseResize(map, reader, i),
                "NormalizeImage" => ParseNormalize(map, reader, i),
                "Permute" => new PermuteOp(),
                "PadStride" => new PadStrideOp(reader.Int(map, "stride") ?? 0),
                "TopDownEvalAffine" => throw new DetectionConfigException(
                    reader.Path, $"Preprocess[{i}]: op 'TopDownEvalAffine' (keypoint models) is not supported yet"),
                _ => throw new DetectionConfigException(
                    reader.Path, $"Preprocess[{i}]: unknown preprocess op '{type}' (supported: {string.Join(", ", SupportedOps)})"),
            });
        }

        return new Preprocessor(ops);
    }

    private static ResizeOp ParseResize(YamlMappingNode map, YamlReader reader, int index)
    {
        double[] target = reader.Doubles(map, "target_size")
            ?? throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] Resize: missing 'target_size'");
        if (target.Length == 1) target = [target[0], target[0]];
        if (target.Length != 2 || target.Any(t => t <= 0 || t != Math.Floor(t) || t > int.MaxValue))
        {
            throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] Resize: 'target_size' must be one or two positive integers");
        }

        int interp = reader.Int(map, "interp") ?? 1;
        if (interp is < 0 or > 4)
        {
            throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] Resize: 'interp' {interp} is not an OpenCV interpolation (0-4)");
        }

        return new ResizeOp((int)target[0], (int)target[1], reader.Bool(map, "keep_ratio") ?? true, (Interpolation)interp);
    }

    private static NormalizeImageOp ParseNormalize(YamlMappingNode map, YamlReader reader, int index)
    {
        string normType = reader.String(map, "norm_type") ?? "mean_std";
        if (normType is not ("mean_std" or "none"))
        {
            throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] NormalizeImage: unknown norm_type '{normType}'");
        }

        bool meanStd = normType == "mean_std";
        double[] mean = reader.Doubles(map, "mean") ?? (meanStd ? throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] NormalizeImage: missing 'mean'") : []);
        double[] std = reader.Doubles(map, "std") ?? (meanStd ? throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] NormalizeImage: missing 'std'") : []);
        if (meanStd && std.Any(s => s == 0))
        {
            throw new DetectionConfigException(reader.Path, $"Preprocess[{index}] NormalizeImage: 'std' contains 0");
        }

        return new NormalizeImageOp(mean, std, reader.Bool(map, "is_scale") ?? true, meanStd);
    }
}
