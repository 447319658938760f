using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>gaussian_random</c> (PIR <c>gaussian</c>): (ShapeTensor, ShapeTensorList) → Out of attribute <c>shape</c>,
/// <c>dtype</c> (float32 default, or float64), normal samples with <c>mean</c> (0) and <c>std</c> (1). Follows Paddle's CPU
/// kernel: a fresh std::mt19937_64 seeded with <c>seed</c> per run, drawn through libstdc++'s normal_distribution (Marsaglia
/// polar method over generate_canonical), reproduced in <see cref="Mt19937_64"/> and <c>Draw</c>. seed 0 means
/// Paddle's global generator, whose state a deployed program cannot know; we then use the engine's default seed 5489, so
/// runs are reproducible.
/// </summary>
internal sealed class GaussianRandomKernel : Kernel
{
    private readonly int _out, _shapeTensor;
    private readonly int[] _shapeList;
    private readonly long[] _shape;
    private readonly float _mean, _std;
    private readonly ulong _seed;
    private readonly DataType _type;

    private GaussianRandomKernel(KernelBuilder b)
    {
        _out = b.RequiredOutput("Out");
        _shapeTensor = b.Input("ShapeTensor");
        _shapeList = b.InputList("ShapeTensorList");
        _shape = b.Attrs.GetLongs("shape");
        _mean = b.Attrs.GetFloat("mean", 0f);
        _std = b.Attrs.GetFloat("std", 1f);
        long seed = b.Attrs.GetLong("seed", 0);
        _seed = seed == 0 ? 5489UL : (ulong)seed;
        _type = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5));
        if (_type is not (DataType.Float32 or DataType.Float64)) throw b.Unsupported($"dtype {_type.Name()} (float32 or float64 expected)");
    }

    public static Kernel Create(KernelBuilder b) => new GaussianRandomKernel(b);

    public override void Execute(RunContext ctx)
    {
        Span<long> dims = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _shapeList, _shapeTensor, _shape, dims, tensorFirst: true);
        Span<int> shape = stackalloc int[n];
        for (int i = 0; i < n; i++) shape[i] = checked((int)dims[i]);
        var engine = new Mt19937_64(_seed);
        if (_type == DataType.Float32) Draw(ref engine, _mean, _std, ctx.Allocate<float>(_out, shape));
        else Draw(ref engine, _mean, _std, ctx.Allocate<double>(_out, shape));
    }

    /// <summary>libstdc++ std::normal_distribution&lt;float&gt; over generate_canonical&lt;float, 24&gt; (one 64-bit draw per uniform).</summary>
    internal static void Draw(ref Mt19937_64 engine, float mean, float std, Span<float> dst)
    {
        bool saved = false;
        float keep = 0;
        for (int i = 0; i < dst.Length; i++)
        {
            float r;
            if (saved)
            {
                saved = false;
                r = keep;
            }
            else
            {
                float x, y, r2;
                do
                {
                    x = (float)(2.0f * Canonical(ref engine) - 1.0);
                    y = (float)(2.0f * Canonical(ref engine) - 1.0);
                    r2 = x * x + y * y;
                }
                while (r2 > 1.0 || r2 == 0.0);
                float mult = MathF.Sqrt(-2 * MathF.Log(r2) / r2);
                keep = x * mult;
                saved = true;
                r = y * mult;
            }
            dst[i] = r * std + mean;
        }
    }

    /// <summary>The double form (generate_canonical&lt;double, 53&gt;).</summary>
    internal static void Draw(ref Mt19937_64 engine, double mean, double std, Span<double> dst)
    {
        bool saved = false;
        double keep = 0;
        for (int i = 0; i < dst.Length; i++)
        {
            double r;
            if (saved)
            {
                saved = false;
                r = keep;
            }
            else
            {
                double x, y, r2;
                do
                {
                    x = 2.0 * CanonicalDouble(ref engine) - 1.0;
                    y = 2.0 * CanonicalDouble(ref engine) - 1.0;
                    r2 = x * x + y * y;
                }
                while (r2 > 1.0 || r2 == 0.0);
                double mult = Math.Sqrt(-2 * Math.Log(r2) / r2);
                keep = x * mult;
                saved = true;
                r = y * mult;
            }
            dst[i] = r * std + mean;
        }
    }

    private static float Canonical(ref Mt19937_64 engine)
    {
        float r = (float)engine.Next() / 18446744073709551616f;
        return r >= 1f ? 0.99999994f : r;
    }

    private static double CanonicalDouble(ref Mt19937_64 engine)
    {
        double r = engine.Next() / 18446744073709551616.0;
        return r >= 1.0 ? 0.99999999999999989 : r;
    }
}

/// <summary>std::mt19937_64 (the 64-bit Mersenne Twister of the C++ standard), for <see cref="GaussianRandomKernel"/>.</summary>
internal struct Mt19937_64
{
    private const int N = 312, M = 156;
    private const ulong Upper = 0xFFFFFFFF80000000UL, Lower = 0x7FFFFFFFUL;
    private readonly ulong[] _mt;
    private int _i;

    public Mt19937_64(ulong seed)
    {
        _mt = new ulong[N];
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = 6364136223846793005UL * (_mt[i - 1] ^ (_mt[i - 1] >> 62)) + (ulong)i;
        _i = N;
    }

    public ulong Next()
    {
        if (_i >= N)
        {
            for (int k = 0; k < N; k++)
            {
                ulong x = (_mt[k] & Upper) | (_mt[(k + 1) % N] & Lower);
                ulong xa = x >> 1;
                if ((x & 1) != 0) xa ^= 0xB5026F5AA96619E9UL;
                _mt[k] = _mt[(k + M) % N] ^ xa;
            }
            _i = 0;
        }
        ulong y = _mt[_i++];
        y ^= (y >> 29) & 0x5555555555555555UL;
        y ^= (y << 17) & 0x71D67FFFEDA60000UL;
        y ^= (y << 37) & 0xFFF7EEE000000000UL;
        y ^= y >> 43;
        return y;
    }
}
