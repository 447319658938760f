namespace PaddleNet.Detection.Preprocessing;

/// <summary>One preprocessed image: float32 CHW data and PaddleDetection's <c>im_info</c>.</summary>
public sealed class PreprocessedImage
{
    private readonly float[] _data;

    internal PreprocessedImage(float[] data, int channels, int height, int width, (float H, float W) imShape, (float Y, float X) scaleFactor)
    {
        _data = data;
        Channels = channels;
        Height = height;
        Width = width;
        ImShape = imShape;
        ScaleFactor = scaleFactor;
    }

    /// <summary>CHW float32, <c>Channels * Height * Width</c> values.</summary>
    public ReadOnlySpan<float> Data => _data;

    /// <summary>Channels of <see cref="Data"/> (3).</summary>
    public int Channels { get; }

    /// <summary>Rows of <see cref="Data"/>, padding included.</summary>
    public int Height { get; }

    /// <summary>Columns of <see cref="Data"/>, padding included.</summary>
    public int Width { get; }

    /// <summary><c>im_shape</c>: the size after Resize (before PadStride), as float32 (h, w).</summary>
    public (float H, float W) ImShape { get; }

    /// <summary><c>scale_factor</c>: (resized / original) per axis, as float32 (y, x).</summary>
    public (float Y, float X) ScaleFactor { get; }
}
