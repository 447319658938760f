namespace PaddleNet.Detection.Preprocessing;

/// <summary>
/// The feeds of PaddleDetection's <c>create_inputs</c>: <c>image</c> [N, C, H, W] zero-padded on the bottom/right to the
/// largest H and W of the batch, <c>im_shape</c> [N, 2] and <c>scale_factor</c> [N, 2], all float32.
/// </summary>
public static class DetectionBatch
{
    /// <summary>Feed name of the batched CHW images.</summary>
    public const string ImageName = "image";
    /// <summary>Feed name of the per-image <c>[height, width]</c> after resizing.</summary>
    public const string ImShapeName = "im_shape";
    /// <summary>Feed name of the per-image <c>[scale_y, scale_x]</c> from original to resized pixels.</summary>
    public const string ScaleFactorName = "scale_factor";

    /// <summary>Builds the three feeds for <paramref name="images"/> (at least one, same channel count).</summary>
    public static IReadOnlyDictionary<string, Tensor> Create(IReadOnlyList<PreprocessedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("A batch needs at least one image.", nameof(images));
        int n = images.Count, c = images[0].Channels;
        int h = images.Max(i => i.Height), w = images.Max(i => i.Width);
        if (images.Any(i => i.Channels != c))
        {
            throw new PaddleNetException("All images of a batch must have the same channel count");
        }

        var image = new Tensor(DataType.Float32, [n, c, h, w]);
        Span<float> dst = image.AsSpan<float>();
        dst.Clear();
        var imShape = new float[n * 2];
        var scale = new float[n * 2];
        for (int b = 0; b < n; b++)
        {
            var im = images[b];
            ReadOnlySpan<float> src = im.Data;
            for (int k = 0; k < c; k++)
            {
                for (int y = 0; y < im.Height; y++)
                {
                    src.Slice((k * im.Height + y) * im.Width, im.Width).CopyTo(dst.Slice(((b * c + k) * h + y) * w, im.Width));
                }
            }

            (imShape[2 * b], imShape[2 * b + 1]) = im.ImShape;
            (scale[2 * b], scale[2 * b + 1]) = im.ScaleFactor;
        }

        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [ImageName] = image,
            [ImShapeName] = Tensor.FromSpan<float>(imShape, [n, 2]),
            [ScaleFactorName] = Tensor.FromSpan<float>(scale, [n, 2]),
        };
    }
}
