using System.Runtime.CompilerServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>One float32 elementwise unary function: the scalar reference form and a fast span form.</summary>
internal interface IUnaryOp
{
    /// <summary>The reference (scalar) form.</summary>
    float Invoke(float x);

    /// <summary>The fast form over a contiguous chunk (vectorised, TensorPrimitives, or the scalar loop).</summary>
    void Apply(ReadOnlySpan<float> x, Span<float> y);
}

/// <summary>A unary op with one vector form, written once over <see cref="IVec{TSelf, T}"/> and bit-identical to its scalar form at every width.</summary>
internal interface IVectorUnaryOp : IUnaryOp
{
    TV Invoke<TV>(TV x)
        where TV : struct, IVec<TV, float>;
}

/// <summary>
/// Runs a unary op over a whole tensor: contiguous chunks split over the intra-op pool for large
/// tensors, each chunk through the op's fast <see cref="IUnaryOp.Apply"/>.
/// </summary>
internal static unsafe class UnaryDriver
{
    public const int ParallelThreshold = 1 << 15;

    /// <summary>Out (same shape as X, float32) = op(X).</summary>
    public static void Run<TOp>(RunContext ctx, int x, int output, in TOp op, string opType)
        where TOp : struct, IUnaryOp
    {
        if (ctx.Type(x) != DataType.Float32) throw new ShapeMismatchException($"{opType} input X", "float32", ctx.Type(x).Name(), opType);
        var src = ctx.Read<float>(x);
        var dst = ctx.Allocate<float>(output, ctx.Shape(x));
        Compute(op, src, dst, ctx.Pool);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<TOp>(in TOp op, ReadOnlySpan<float> x, Span<float> y, IntraOpPool? pool)
        where TOp : struct, IUnaryOp
    {
        if (x.Length == 0) return;
        if (pool is null || x.Length < ParallelThreshold)
        {
            op.Apply(x, y);
            return;
        }
        fixed (float* px = x)
        fixed (float* py = y)
        {
            pool.For(x.Length, new Body<TOp> { Op = op, X = px, Y = py }, ParallelThreshold / 2);
        }
    }

    /// <summary>The scalar reference: y[i] = op.Invoke(x[i]).</summary>
    public static void Reference<TOp>(in TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOp
    {
        for (int i = 0; i < x.Length; i++) y[i] = op.Invoke(x[i]);
    }

    /// <summary>The widest accelerated vector loop (capped at <paramref name="maxBits"/>; 0 = the scalar reference) with a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vectorized<TOp>(in TOp op, ReadOnlySpan<float> x, Span<float> y, int maxBits = 512)
        where TOp : struct, IVectorUnaryOp
    {
        fixed (float* px = x)
        fixed (float* py = y)
        {
            switch (Simd.Width(maxBits))
            {
                case 512: Loop<TOp, Vec512<float>>(op, px, py, x.Length); break;
                case 256: Loop<TOp, Vec256<float>>(op, px, py, x.Length); break;
                case 128: Loop<TOp, Vec128<float>>(op, px, py, x.Length); break;
                default: Loop<TOp, Vec128<float>>(op, px, py, x.Length, scalarOnly: true); break;
            }
        }
    }

    /// <summary>y = op(x) over <paramref name="n"/> floats, <typeparamref name="TV"/> lanes at a time, then one element at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TOp, TV>(in TOp op, float* x, float* y, int n, bool scalarOnly = false)
        where TOp : struct, IVectorUnaryOp
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        if (!scalarOnly)
        {
            for (; i <= n - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(x + i)), y + i);
        }
        Reference(op, new ReadOnlySpan<float>(x + i, n - i), new Span<float>(y + i, n - i));
    }

    private struct Body<TOp> : IParallelBody
        where TOp : struct, IUnaryOp
    {
        public TOp Op;
        public float* X;
        public float* Y;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end) =>
            Op.Apply(new ReadOnlySpan<float>(X + start, end - start), new Span<float>(Y + start, end - start));
    }
}

/// <summary>Scalar special functions Paddle takes from libm that .NET lacks.</summary>
internal static class SpecialFunctions
{
    /// <summary>
    /// erf(x) through the Chebyshev fit of erfc from Numerical Recipes (fractional error &lt; 1.2e-7),
    /// evaluated in double: within an ulp or two of glibc's erff for float arguments.
    /// </summary>
    public static float Erf(float x) => (float)Erf((double)x);

    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double z = Math.Abs(x);
        if (z < 0.5)
        {
            // Maclaurin series: converges fast near 0 and keeps the relative error tiny.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 30; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return sum * 1.1283791670955126; // 2/√π
        }
        double t = 2.0 / (2.0 + z);
        double ty = 4.0 * t - 2.0;
        ReadOnlySpan<double> cof =
        [
            -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
            3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.303655835580e-6,
            1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
            9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15,
            -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
        ];
        double d = 0, dd = 0;
        for (int j = cof.Length - 1; j > 0; j--)
        {
            double tmp = d;
            d = ty * d - dd + cof[j];
            dd = tmp;
        }
        double erfc = t * Math.Exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
