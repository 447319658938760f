using PaddleNet.Imaging;

namespace PaddleNet.Detection.Preprocessing;

/// <summary>
/// One image moving through the ops, as PaddleDetection's <c>(im, im_info)</c> pair: uint8 RGB pixels until an op
/// needs floats, then float32 HWC or CHW; <c>im_shape</c> and <c>scale_factor</c> as <c>decode_image</c> and
/// <c>Resize</c> set them.
/// </summary>
internal sealed class PreprocessState
{
    public PreprocessState(Image rgb)
    {
        Pixels = rgb;
        Channels = rgb.Channels;
        Height = rgb.Height;
        Width = rgb.Width;
        ImShape = (rgb.Height, rgb.Width);
    }

    /// <summary>The uint8 RGB image, or null once <see cref="Floats"/> holds the data.</summary>
    public Image? Pixels { get; private set; }

    public float[]? Floats { get; private set; }

    public bool IsChw { get; private set; }

    public int Channels { get; private set; }

    public int Height { get; private set; }

    public int Width { get; private set; }

    public (float H, float W) ImShape { get; set; }

    public (float Y, float X) ScaleFactor { get; set; } = (1f, 1f);

    public void SetPixels(Image rgb)
    {
        Pixels = rgb;
        Floats = null;
        IsChw = false;
        (Channels, Height, Width) = (rgb.Channels, rgb.Height, rgb.Width);
    }

    public void SetFloats(float[] data, int channels, int height, int width, bool chw)
    {
        Pixels = null;
        Floats = data;
        IsChw = chw;
        (Channels, Height, Width) = (channels, height, width);
    }

    /// <summary>The data as float32 in its current layout (uint8 converted exactly, as <c>astype('float32')</c>).</summary>
    public float[] AsFloats()
    {
        if (Floats is not null) return Floats;
        ReadOnlySpan<byte> p = Pixels!.Pixels;
        var f = new float[p.Length];
        for (int i = 0; i < f.Length; i++) f[i] = p[i];
        Floats = f;
        Pixels = null;
        return f;
    }
}
