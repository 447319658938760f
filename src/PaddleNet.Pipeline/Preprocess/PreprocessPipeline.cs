using PaddleNet.Imaging;
using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Preprocess;

/// <summary>
/// <c>create_operators(PreProcess.transform_ops)</c>: each entry is a one-key mapping <c>{OpName: params}</c>,
/// applied per image in order. The input is the decoded image reversed to RGB, as <c>predict_cls</c> does
/// (<c>cv2.imread(path)[:, :, ::-1]</c>). The batch is the per-image arrays stacked (<c>np.array(images)</c>).
/// </summary>
internal sealed class PreprocessPipeline
{
    private static readonly HashSet<string> PaddleVisionNames = new(StringComparer.Ordinal)
    {
        "ToTensor", "Normalize", "Resize", "CenterCrop", "DetResize", "DetNormalizeImage", "DetPadStride", "DetPermute",
    };

    private readonly IPreprocessOp[] _ops;

    public PreprocessPipeline(IReadOnlyList<object?> transformOps)
    {
        _ops = transformOps.Select((entry, i) => Create(entry, i)).ToArray();
    }

    public IReadOnlyList<string> OpNames => _ops.Select(o => o.Name).ToArray();

    /// <summary>Runs the ops on one image (any <see cref="PixelFormat"/>; converted to RGB first).</summary>
    public ImageArray Apply(Image image)
    {
        var rgb = image.ToRgb();
        var array = ImageArray.OfBytes(rgb.Pixels.ToArray(), rgb.Height, rgb.Width, rgb.Channels);
        foreach (var op in _ops) array = op.Apply(array);
        return array;
    }

    /// <summary>Stacks per-image arrays into one batch tensor <c>[N, ...]</c>; all shapes and types must match.</summary>
    public static Tensor Stack(IReadOnlyList<ImageArray> items)
    {
        if (items.Count == 0) throw new ArgumentException("empty batch", nameof(items));
        var first = items[0];
        foreach (var item in items)
        {
            if (item.Type != first.Type || !item.Shape.AsSpan().SequenceEqual(first.Shape))
            {
                throw new PaddleNetException($"cannot stack a batch of different shapes ({first.Describe()} and {item.Describe()}); use batch_size 1 or a fixed-size crop");
            }
        }
        int[] shape = [items.Count, .. first.Shape];
        int n = first.Length;
        switch (first.Type)
        {
            case ArrayType.Float32:
                var floats = new float[checked(n * items.Count)];
                for (int i = 0; i < items.Count; i++) items[i].Floats!.CopyTo(floats, i * n);
                return Tensor.FromSpan<float>(floats, shape);
            case ArrayType.Float16:
                var halves = new Half[checked(n * items.Count)];
                for (int i = 0; i < items.Count; i++) items[i].Halves!.CopyTo(halves, i * n);
                return Tensor.FromSpan<Half>(halves, shape);
            default:
                var bytes = new byte[checked(n * items.Count)];
                for (int i = 0; i < items.Count; i++) items[i].Bytes!.CopyTo(bytes, i * n);
                return Tensor.FromSpan<byte>(bytes, shape);
        }
    }

    private static IPreprocessOp Create(object? entry, int index)
    {
        if (entry is not ConfigMap { Count: 1 } map)
        {
            throw new PaddleNetException($"PreProcess.transform_ops[{index}] must be a one-key mapping {{OpName: params}}, not {PyRepr.Repr(entry)}");
        }
        var (name, values) = map.First();
        var p = new OpParameters("PreProcess.transform_ops", name, values);
        return name switch
        {
            "ResizeImage" => new ResizeImage(p),
            "CropImage" => new CropImage(p),
            "NormalizeImage" => new NormalizeImage(p),
            "ToCHWImage" => Parameterless(p, new ToChwImage()),
            _ when PaddleVisionNames.Contains(name) => throw new PaddleNetException(
                $"PreProcess.transform_ops[{index}]: op '{name}' (a paddle.vision/detection transform) is not supported; use ResizeImage, CropImage, NormalizeImage, ToCHWImage"),
            _ => throw new PaddleNetException(
                $"PreProcess.transform_ops[{index}]: unsupported preprocess op '{name}' (supported: ResizeImage, CropImage, NormalizeImage, ToCHWImage)"),
        };
    }

    private static IPreprocessOp Parameterless(OpParameters p, IPreprocessOp op)
    {
        p.EnsureAllUsed();
        return op;
    }
}
