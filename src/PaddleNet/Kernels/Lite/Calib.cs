using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Lite;

/// <summary>
/// Paddle Lite <c>calib</c> (Input → Out): the activation precision change Lite's opt inserts in front of int8
/// kernels of quantisation-aware (slim) models. Attribute <c>scale</c>; the direction is the kernel alias of
/// <c>__@kernel_type_attr@__</c> (<c>calib/fp32_to_int8/…</c>, <c>calib/int8_to_fp32/…</c>).
/// PaddleNet keeps every activation in float32 and simulates the int8 tensor by its dequantised value:
/// fp32_to_int8 gives <c>clamp(round(x / scale), −127, 127) · scale</c> (round half away from zero, as
/// ARM's vcvta; Lite's ARM kernels clamp to −127, not −128), which is exactly what the following int8
/// kernel multiplies by its <c>Input0_scale</c> (= this scale). int8_to_fp32 is then a copy. Together with
/// <see cref="Int8OutputLowering"/> (int8_out kernels) this simulates Lite's int8 activations, which measured
/// closer to the intended results than running the slim models all in float (see there).
/// </summary>
internal sealed class CalibKernel : Kernel
{
    private readonly int _x, _out;
    private readonly float _scale, _invScale;
    private readonly bool _quantise;

    private CalibKernel(int x, int output, float scale, bool quantise)
    {
        _x = x;
        _out = output;
        _scale = scale;
        _invScale = 1f / scale;
        _quantise = quantise;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var kernelType = b.Attrs.GetString("__@kernel_type_attr@__", "calib/fp32_to_int8");
        var alias = kernelType.Split('/') is { Length: > 1 } parts ? parts[1] : "fp32_to_int8";
        float scale = b.Attrs.GetFloat("scale", 1f);
        bool toInt8 = alias switch
        {
            "fp32_to_int8" or "int8_to_int8" => true,
            "int8_to_fp32" or "def" or "fp32_to_fp32" => false,
            _ => throw b.Unsupported($"calib kernel alias '{alias}'"),
        };
        if (toInt8 && !(scale > 0) || !float.IsFinite(scale)) throw b.Unsupported($"calib scale {scale}");
        return new CalibKernel(b.RequiredInput("Input"), b.RequiredOutput("Out"), scale, toInt8);
    }

    public override void Execute(RunContext ctx)
    {
        if (!_quantise || ctx.Type(_x) != DataType.Float32)
        {
            ctx.CopyValue(_x, _out, ctx.Shape(_x));
            return;
        }
        var x = ctx.Read<float>(_x);
        var y = ctx.Allocate<float>(_out, ctx.Shape(_x));
        Reference(x, y, _scale, _invScale);
    }

    /// <summary>Scalar reference: y = clamp(round(x · (1/scale)), −127, 127) · scale.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y, float scale, float invScale)
    {
        for (int i = 0; i < x.Length; i++) y[i] = QuantDequant(x[i], scale, invScale);
    }

    internal static float QuantDequant(float x, float scale, float invScale)
    {
        float q = MathF.Round(x * invScale, MidpointRounding.AwayFromZero);
        if (q > 127f) q = 127f;
        else if (q < -127f) q = -127f;
        else if (float.IsNaN(q)) q = 0f;
        return q * scale;
    }
}
