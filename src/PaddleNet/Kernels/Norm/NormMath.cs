using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PaddleNet.Kernels.Norm;

/// <summary>Row helpers shared by the normalisation kernels (SIMD with scalar tails).</summary>
internal static class NormMath
{
    /// <summary>Σ (x − mean)², Vector256 lanes then a scalar tail.</summary>
    public static float SumSquaredDiff(ReadOnlySpan<float> x, float mean)
    {
        int i = 0;
        float s = 0f;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            var m = Vector256.Create(mean);
            ref float r0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref r0, (nuint)i) - m;
                acc += d * d;
            }
            s = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            float d = x[i] - mean;
            s += d * d;
        }
        return s;
    }

    public static float SumSquaredDiffReference(ReadOnlySpan<float> x, float mean)
    {
        float s = 0f;
        foreach (var v in x)
        {
            float d = v - mean;
            s += d * d;
        }
        return s;
    }

    /// <summary>y = (x − mean)·inv·scale + bias with optional per-element scale/bias (empty = 1 / 0).</summary>
    public static void NormalizeRow(ReadOnlySpan<float> x, Span<float> y, float mean, float inv, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        // (x − mean)·inv = x·inv − mean·inv
        TensorPrimitives.Subtract(x, mean, y);
        TensorPrimitives.Multiply(y, inv, y);
        if (scale.Length > 0) TensorPrimitives.Multiply(y, scale, y);
        if (bias.Length > 0) TensorPrimitives.Add(y, bias, y);
    }

    public static void NormalizeRowReference(ReadOnlySpan<float> x, Span<float> y, float mean, float inv, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = (x[i] - mean) * inv;
            if (scale.Length > 0) v *= scale[i];
            if (bias.Length > 0) v += bias[i];
            y[i] = v;
        }
    }
}
