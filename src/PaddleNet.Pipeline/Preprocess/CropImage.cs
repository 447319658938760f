using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Preprocess;

/// <summary>
/// PaddleClas <c>CropImage(size)</c>: a centre crop of <c>size</c> (int) or <c>[w, h]</c>; offsets
/// <c>(img_w - w) // 2</c> and <c>(img_h - h) // 2</c>; an image smaller than the crop is an error (no padding).
/// </summary>
internal sealed class CropImage : IPreprocessOp
{
    private readonly int _width;
    private readonly int _height;

    public CropImage(OpParameters p)
    {
        var size = p.Get("size");
        p.EnsureAllUsed();
        if (size is List<object?> wh && wh.Count >= 2)
        {
            _width = ConfigValues.Int(wh[0], p.Key("size") + "[0]", min: 1);
            _height = ConfigValues.Int(wh[1], p.Key("size") + "[1]", min: 1);
        }
        else
        {
            _width = _height = ConfigValues.Int(size, p.Key("size"), min: 1);
        }
    }

    public string Name => "CropImage";

    public ImageArray Apply(ImageArray input)
    {
        if (input.Shape.Length != 3) throw new PaddleNetException($"CropImage needs an HWC image, got {input.Describe()}");
        int imgH = input.Shape[0], imgW = input.Shape[1], c = input.Shape[2];
        if (imgH < _height || imgW < _width)
        {
            throw new PaddleNetException($"CropImage: the image ({imgW}x{imgH}) is smaller than the crop ({_width}x{_height})");
        }
        int x0 = (imgW - _width) / 2, y0 = (imgH - _height) / 2;
        return input.Type switch
        {
            ArrayType.UInt8 => ImageArray.OfBytes(Crop<byte>(input.Bytes!, imgW, c, x0, y0), _height, _width, c),
            ArrayType.Float32 => ImageArray.OfFloats(Crop<float>(input.Floats!, imgW, c, x0, y0), _height, _width, c),
            _ => ImageArray.OfHalves(Crop<Half>(input.Halves!, imgW, c, x0, y0), _height, _width, c),
        };
    }

    private T[] Crop<T>(T[] source, int imgW, int c, int x0, int y0)
    {
        var output = new T[_width * _height * c];
        int row = _width * c;
        for (int y = 0; y < _height; y++)
        {
            source.AsSpan(((y0 + y) * imgW + x0) * c, row).CopyTo(output.AsSpan(y * row, row));
        }
        return output;
    }
}
