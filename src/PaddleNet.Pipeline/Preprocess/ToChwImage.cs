namespace PaddleNet.Pipeline.Preprocess;

/// <summary>PaddleClas <c>ToCHWImage()</c>: <c>img.transpose((2, 0, 1))</c>.</summary>
internal sealed class ToChwImage : IPreprocessOp
{
    public string Name => "ToCHWImage";

    public ImageArray Apply(ImageArray input)
    {
        if (input.Shape.Length != 3) throw new PaddleNetException($"ToCHWImage needs a 3-D image, got {input.Describe()}");
        int h = input.Shape[0], w = input.Shape[1], c = input.Shape[2];
        return input.Type switch
        {
            ArrayType.UInt8 => ImageArray.OfBytes(Transpose<byte>(input.Bytes!, h, w, c), c, h, w),
            ArrayType.Float32 => ImageArray.OfFloats(Transpose<float>(input.Floats!, h, w, c), c, h, w),
            _ => ImageArray.OfHalves(Transpose<Half>(input.Halves!, h, w, c), c, h, w),
        };
    }

    private static T[] Transpose<T>(T[] hwc, int h, int w, int c)
    {
        var chw = new T[hwc.Length];
        int plane = h * w;
        for (int i = 0; i < plane; i++)
        {
            for (int k = 0; k < c; k++) chw[k * plane + i] = hwc[i * c + k];
        }
        return chw;
    }
}
