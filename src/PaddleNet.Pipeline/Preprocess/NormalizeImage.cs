using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Preprocess;

/// <summary>
/// PaddleClas <c>NormalizeImage(scale=None, mean=None, std=None, order='chw', output_fp16=False, channel_num=3)</c>:
/// <c>(img.astype(float32) * float32(scale) - mean) / std</c>, all in float32, dividing by std (multiplying by
/// 1/std changes ~28% of the elements by an ulp). A string scale such as <c>1.0/255.0</c> is evaluated first; the
/// default is 1/255. <c>order == 'chw'</c> expects a CHW array; anything else (configs write <c>''</c>) means HWC.
/// <c>channel_num: 4</c> appends a zero channel. The result is float32, or float16 with <c>output_fp16</c>.
/// </summary>
internal sealed class NormalizeImage : IPreprocessOp
{
    private readonly float _scale;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly bool _chw;
    private readonly bool _fp16;
    private readonly bool _padChannel;

    public NormalizeImage(OpParameters p)
    {
        var scale = p.Get("scale");
        var mean = p.Get("mean");
        var std = p.Get("std");
        var order = p.Get("order", "chw");
        var fp16 = p.Get("output_fp16", false);
        var channels = p.Get("channel_num", 3L);
        p.EnsureAllUsed();
        if (scale is string expression)
        {
            scale = PyExpression.TryEval(expression, out var evaluated) ? evaluated
                : throw new PaddleNetException($"{p.Key("scale")}: cannot evaluate '{expression}'");
        }
        _scale = (float)(scale is null ? 1.0 / 255.0 : ConfigValues.Number(scale, p.Key("scale")));
        _mean = ThreeFloats(mean, [0.485, 0.456, 0.406], p.Key("mean"));
        _std = ThreeFloats(std, [0.229, 0.224, 0.225], p.Key("std"));
        _chw = order is "chw";
        _fp16 = ConfigValues.Truthy(fp16);
        int channelNum = ConfigValues.Int(channels, p.Key("channel_num"));
        if (channelNum is not (3 or 4)) throw new PaddleNetException($"{p.Key("channel_num")}: channel number of input image should be set to 3 or 4, not {channelNum}");
        _padChannel = channelNum == 4;
    }

    public string Name => "NormalizeImage";

    public ImageArray Apply(ImageArray input)
    {
        if (input.Shape.Length != 3 || (_chw ? input.Shape[0] : input.Shape[2]) != 3)
        {
            throw new PaddleNetException(
                $"NormalizeImage (order '{(_chw ? "chw" : "hwc")}') needs a 3-channel {(_chw ? "CHW" : "HWC")} array, got {input.Describe()}");
        }
        int d0 = input.Shape[0], d1 = input.Shape[1], d2 = input.Shape[2];
        int outChannels = _padChannel ? 4 : 3;
        int[] shape = _chw ? [outChannels, d1, d2] : [d0, d1, outChannels];
        var output = new float[checked(shape[0] * shape[1] * shape[2])];
        if (_chw)
        {
            int plane = d1 * d2;
            for (int c = 0; c < 3; c++)
            {
                for (int i = 0; i < plane; i++) output[c * plane + i] = Normalize(Read(input, c * plane + i), c);
            }
            // The padded plane (index 3) stays zero.
        }
        else
        {
            int pixels = d0 * d1;
            for (int i = 0; i < pixels; i++)
            {
                for (int c = 0; c < 3; c++) output[i * outChannels + c] = Normalize(Read(input, i * 3 + c), c);
            }
        }
        if (!_fp16) return ImageArray.OfFloats(output, shape);
        var halves = new Half[output.Length];
        for (int i = 0; i < output.Length; i++) halves[i] = (Half)output[i];
        return ImageArray.OfHalves(halves, shape);
    }

    // Three separate float32 operations, rounded after each, exactly as numpy does them; no fused multiply-add.
    private float Normalize(float x, int c)
    {
        float scaled = x * _scale;
        float centred = scaled - _mean[c];
        return centred / _std[c];
    }

    private static float Read(ImageArray a, int i) => a.Type switch
    {
        ArrayType.UInt8 => a.Bytes![i],
        ArrayType.Float32 => a.Floats![i],
        _ => (float)a.Halves![i],
    };

    private static float[] ThreeFloats(object? value, double[] fallback, string key)
    {
        var numbers = value is null ? fallback : ConfigValues.Numbers(value, key);
        if (numbers.Count != 3) throw new PaddleNetException($"{key} must have 3 values, not {numbers.Count}");
        return numbers.Select(n => (float)n).ToArray();
    }
}
