using PaddleNet.Imaging;
using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Preprocess;

/// <summary>
/// PaddleClas <c>ResizeImage(size=None, resize_short=None, interpolation=None, backend="cv2")</c>. With
/// <c>resize_short</c> &gt; 0 the short side becomes that length: <c>percent = resize_short / min(w, h)</c> in double,
/// new sides <c>int(round(side * percent))</c> with Python's half-to-even <c>round</c>. Otherwise <c>size</c>: an int
/// (square) or <c>[w, h]</c>. Pixels come from <c>cv2.resize</c> through the native shim (bit-exact).
/// </summary>
internal sealed class ResizeImage : IPreprocessOp
{
    private readonly int? _resizeShort;
    private readonly int _width;
    private readonly int _height;
    private readonly Interpolation? _interpolation; // null = "random": linear or cubic on every call

    public ResizeImage(OpParameters p)
    {
        var size = p.Get("size");
        var resizeShort = p.Get("resize_short");
        var interpolation = p.Get("interpolation");
        var backend = p.Get("backend", "cv2");
        p.Get("return_numpy");
        p.EnsureAllUsed();
        if (resizeShort is not null && ConfigValues.Number(resizeShort, p.Key("resize_short")) > 0)
        {
            _resizeShort = ConfigValues.Int(resizeShort, p.Key("resize_short"), min: 1);
        }
        else if (size is not null)
        {
            if (size is List<object?> wh)
            {
                if (wh.Count < 2) throw new PaddleNetException($"{p.Key("size")} must be an int or [w, h], not {PyRepr.Repr(size)}");
                _width = ConfigValues.Int(wh[0], p.Key("size") + "[0]", min: 1);
                _height = ConfigValues.Int(wh[1], p.Key("size") + "[1]", min: 1);
            }
            else
            {
                _width = _height = ConfigValues.Int(size, p.Key("size"), min: 1);
            }
        }
        else
        {
            throw new PaddleNetException($"{p.Section} op ResizeImage: invalid params, set either size or resize_short");
        }
        if (backend is not "cv2")
        {
            throw new PaddleNetException($"{p.Key("backend")}: only the cv2 backend is supported, not {PyRepr.Repr(backend)}");
        }
        _interpolation = ParseInterpolation(interpolation, p.Key("interpolation"));
    }

    public string Name => "ResizeImage";

    public ImageArray Apply(ImageArray input)
    {
        if (input.Type != ArrayType.UInt8 || input.Shape.Length != 3 || input.Shape[2] is not (1 or 3 or 4))
        {
            throw new PaddleNetException($"ResizeImage needs an HWC uint8 image, got {input.Describe()}");
        }
        int h = input.Shape[0], w = input.Shape[1], c = input.Shape[2];
        int newW = _width, newH = _height;
        if (_resizeShort is int target)
        {
            double percent = (double)target / Math.Min(w, h);
            newW = PyRound(w * percent);
            newH = PyRound(h * percent);
        }
        var interpolation = _interpolation ?? (Random.Shared.Next(2) == 0 ? Interpolation.Linear : Interpolation.Cubic);
        var output = new byte[checked(newW * newH * c)];
        Image.Resize(input.Bytes, w, h, c, output, newW, newH, interpolation);
        return ImageArray.OfBytes(output, newH, newW, c);
    }

    /// <summary><c>int(round(x))</c> in Python 3: half to even on the exact double.</summary>
    internal static int PyRound(double x) => checked((int)Math.Round(x, MidpointRounding.ToEven));

    private static Interpolation? ParseInterpolation(object? value, string key) => value switch
    {
        null => Interpolation.Linear,
        string s => s.ToLowerInvariant() switch
        {
            "nearest" => Interpolation.Nearest,
            "bilinear" => Interpolation.Linear,
            "area" => Interpolation.Area,
            "bicubic" => Interpolation.Cubic,
            "lanczos" => Interpolation.Lanczos4,
            "random" => null,
            _ => throw new PaddleNetException($"{key}: unknown interpolation '{s}' (nearest, bilinear, area, bicubic, lanczos, random)"),
        },
        // A number is passed straight to cv2 as its flag.
        long l when l is >= 0 and <= 4 => (Interpolation)l,
        _ => throw new PaddleNetException($"{key}: unsupported interpolation {PyRepr.Repr(value)}"),
    };
}
