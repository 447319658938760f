using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace PaddleNet.Kernels.Norm;

/// <summary>Row helpers shared by the normalisation kernels (SIMD with scalar tails).</summary>
internal static class NormMath
{
    /// <summary>Σ (x − mean)², lanes of the widest accelerated vector then a scalar tail (lane order: within tolerance of the reference, not bit-equal).</summary>
    public static float SumSquaredDiff(ReadOnlySpan<float> x, float mean) => Simd.BestWidth switch
    {
        512 => SumSquaredDiff<Vec512<float>>(x, mean),
        256 => SumSquaredDiff<Vec256<float>>(x, mean),
        128 => SumSquaredDiff<Vec128<float>>(x, mean),
        _ => SumSquaredDiffReference(x, mean),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe float SumSquaredDiff<TV>(ReadOnlySpan<float> x, float mean)
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        float s = 0f;
        fixed (float* px = x)
        {
            if (x.Length >= TV.Count)
            {
                var acc = TV.Zero;
                var m = TV.Create(mean);
                for (; i <= x.Length - TV.Count; i += TV.Count)
                {
                    var d = TV.Load(px + i) - m;
                    acc += d * d;
                }
                s = TV.Sum(acc);
            }
            for (; i < x.Length; i++)
            {
                float d = px[i] - mean;
                s += d * d;
            }
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
