using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PaddleNet.Kernels;

/// <summary>128-bit register (<see cref="Vector128{T}"/>) for <see cref="IVec{TSelf, T}"/>.</summary>
internal readonly unsafe struct Vec128<T> : IVec<Vec128<T>, T>
    where T : unmanaged
{
    public readonly Vector128<T> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec128(Vector128<T> v) => V = v;

    public static int Count => Vector128<T>.Count;

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported;

    public static Vec128<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<T>.Zero);
    }

    public static Vec128<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<T>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Create(T value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Load(T* p) => new(Vector128.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec128<T> v, T* p) => Vector128.Store(v.V, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vec128<T> v, T* p, int n)
    {
        if (n >= Vector128<T>.Count)
        {
            Vector128.Store(v.V, p);
            return;
        }
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            Avx.MaskStore((float*)p, Vector128.LessThan(Vector128.Create(0, 1, 2, 3), Vector128.Create(n)).AsSingle(), v.V.As<T, float>());
            return;
        }
        T* lanes = (T*)&v;
        for (int i = 0; i < n; i++) p[i] = lanes[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> operator +(Vec128<T> a, Vec128<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> operator -(Vec128<T> a, Vec128<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> operator *(Vec128<T> a, Vec128<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> operator /(Vec128<T> a, Vec128<T> b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> MultiplyAdd(Vec128<T> a, Vec128<T> b, Vec128<T> c)
    {
        if (typeof(T) == typeof(float) && Fma.IsSupported) return new(Fma.MultiplyAdd(a.V.As<T, float>(), b.V.As<T, float>(), c.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(float) && AdvSimd.IsSupported) return new(AdvSimd.FusedMultiplyAdd(c.V.As<T, float>(), a.V.As<T, float>(), b.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double) && Fma.IsSupported) return new(Fma.MultiplyAdd(a.V.As<T, double>(), b.V.As<T, double>(), c.V.As<T, double>()).As<double, T>());
        if (typeof(T) == typeof(double) && AdvSimd.Arm64.IsSupported) return new(AdvSimd.Arm64.FusedMultiplyAdd(c.V.As<T, double>(), a.V.As<T, double>(), b.V.As<T, double>()).As<double, T>());
        return new(a.V * b.V + c.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Min(Vec128<T> a, Vec128<T> b) => new(Vector128.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Max(Vec128<T> a, Vec128<T> b) => new(Vector128.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> GreaterOf(Vec128<T> a, Vec128<T> b) => typeof(T) == typeof(float) && Sse.IsSupported
        ? new(Sse.Max(a.V.AsSingle(), b.V.AsSingle()).As<float, T>())
        : new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.V, b.V), a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> GreaterThan(Vec128<T> a, Vec128<T> b) => new(Vector128.GreaterThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Evens(Vec128<T> lo, Vec128<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Evens: 32-bit lanes only");
        if (Sse.IsSupported) return new(Sse.Shuffle(lo.V.AsSingle(), hi.V.AsSingle(), 0b10_00_10_00).As<float, T>());
        if (AdvSimd.Arm64.IsSupported) return new(AdvSimd.Arm64.UnzipEven(lo.V.AsSingle(), hi.V.AsSingle()).As<float, T>());
        var a = lo.V.AsSingle();
        var b = hi.V.AsSingle();
        return new(Vector128.Create(a[0], a[2], b[0], b[2]).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Odds(Vec128<T> lo, Vec128<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Odds: 32-bit lanes only");
        if (Sse.IsSupported) return new(Sse.Shuffle(lo.V.AsSingle(), hi.V.AsSingle(), 0b11_01_11_01).As<float, T>());
        if (AdvSimd.Arm64.IsSupported) return new(AdvSimd.Arm64.UnzipOdd(lo.V.AsSingle(), hi.V.AsSingle()).As<float, T>());
        var a = lo.V.AsSingle();
        var b = hi.V.AsSingle();
        return new(Vector128.Create(a[1], a[3], b[1], b[3]).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> LessThan(Vec128<T> a, Vec128<T> b) => new(Vector128.LessThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Select(Vec128<T> mask, Vec128<T> ifTrue, Vec128<T> ifFalse) => new(Vector128.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Abs(Vec128<T> a) => new(Vector128.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Sqrt(Vec128<T> a) => new(Vector128.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Floor(Vec128<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Floor(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Floor(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128<T> Ceiling(Vec128<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.Ceiling(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.Ceiling(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vec128<T> a) => Vector128.Sum(a.V);
}

/// <summary>256-bit register (<see cref="Vector256{T}"/>) for <see cref="IVec{TSelf, T}"/>.</summary>
internal readonly unsafe struct Vec256<T> : IVec<Vec256<T>, T>
    where T : unmanaged
{
    public readonly Vector256<T> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec256(Vector256<T> v) => V = v;

    public static int Count => Vector256<T>.Count;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;

    public static Vec256<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<T>.Zero);
    }

    public static Vec256<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<T>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Load(T* p) => new(Vector256.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec256<T> v, T* p) => Vector256.Store(v.V, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vec256<T> v, T* p, int n)
    {
        if (n >= Vector256<T>.Count)
        {
            Vector256.Store(v.V, p);
            return;
        }
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            Avx.MaskStore((float*)p, Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n)).AsSingle(), v.V.As<T, float>());
            return;
        }
        T* lanes = (T*)&v;
        for (int i = 0; i < n; i++) p[i] = lanes[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator +(Vec256<T> a, Vec256<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator -(Vec256<T> a, Vec256<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator *(Vec256<T> a, Vec256<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator /(Vec256<T> a, Vec256<T> b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> MultiplyAdd(Vec256<T> a, Vec256<T> b, Vec256<T> c)
    {
        if (typeof(T) == typeof(float) && Fma.IsSupported) return new(Fma.MultiplyAdd(a.V.As<T, float>(), b.V.As<T, float>(), c.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double) && Fma.IsSupported) return new(Fma.MultiplyAdd(a.V.As<T, double>(), b.V.As<T, double>(), c.V.As<T, double>()).As<double, T>());
        return new(a.V * b.V + c.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Min(Vec256<T> a, Vec256<T> b) => new(Vector256.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Max(Vec256<T> a, Vec256<T> b) => new(Vector256.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> GreaterOf(Vec256<T> a, Vec256<T> b) => typeof(T) == typeof(float) && Avx.IsSupported
        ? new(Avx.Max(a.V.AsSingle(), b.V.AsSingle()).As<float, T>())
        : new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.V, b.V), a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> GreaterThan(Vec256<T> a, Vec256<T> b) => new(Vector256.GreaterThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Evens(Vec256<T> lo, Vec256<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Evens: 32-bit lanes only");
        if (Avx2.IsSupported)
        {
            // Per 128-bit half: lo's evens then hi's; the 64-bit quarters then reordered (0, 2, 1, 3).
            var s = Avx.Shuffle(lo.V.AsSingle(), hi.V.AsSingle(), 0b10_00_10_00);
            return new(Avx2.Permute4x64(s.AsDouble(), 0b11_01_10_00).As<double, T>());
        }
        return new(Vector256.Create(Vec128<T>.Evens(new(lo.V.GetLower()), new(lo.V.GetUpper())).V, Vec128<T>.Evens(new(hi.V.GetLower()), new(hi.V.GetUpper())).V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Odds(Vec256<T> lo, Vec256<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Odds: 32-bit lanes only");
        if (Avx2.IsSupported)
        {
            var s = Avx.Shuffle(lo.V.AsSingle(), hi.V.AsSingle(), 0b11_01_11_01);
            return new(Avx2.Permute4x64(s.AsDouble(), 0b11_01_10_00).As<double, T>());
        }
        return new(Vector256.Create(Vec128<T>.Odds(new(lo.V.GetLower()), new(lo.V.GetUpper())).V, Vec128<T>.Odds(new(hi.V.GetLower()), new(hi.V.GetUpper())).V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> LessThan(Vec256<T> a, Vec256<T> b) => new(Vector256.LessThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Select(Vec256<T> mask, Vec256<T> ifTrue, Vec256<T> ifFalse) => new(Vector256.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Abs(Vec256<T> a) => new(Vector256.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Sqrt(Vec256<T> a) => new(Vector256.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Floor(Vec256<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Floor(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Floor(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Ceiling(Vec256<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Ceiling(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Ceiling(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vec256<T> a) => Vector256.Sum(a.V);
}

/// <summary>512-bit register (<see cref="Vector512{T}"/>) for <see cref="IVec{TSelf, T}"/>.</summary>
internal readonly unsafe struct Vec512<T> : IVec<Vec512<T>, T>
    where T : unmanaged
{
    public readonly Vector512<T> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec512(Vector512<T> v) => V = v;

    public static int Count => Vector512<T>.Count;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    public static Vec512<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<T>.Zero);
    }

    public static Vec512<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<T>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Load(T* p) => new(Vector512.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec512<T> v, T* p) => Vector512.Store(v.V, p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vec512<T> v, T* p, int n)
    {
        if (n >= Vector512<T>.Count)
        {
            Vector512.Store(v.V, p);
            return;
        }
        if (Avx.IsSupported)
        {
            // Two 256-bit halves: AVX masked stores (no AVX-512 masked store in the portable API).
            int half = Vector256<T>.Count;
            if (n >= half)
            {
                Vector256.Store(v.V.GetLower(), p);
                Vec256<T>.StorePartial(new(v.V.GetUpper()), p + half, n - half);
            }
            else
            {
                Vec256<T>.StorePartial(new(v.V.GetLower()), p, n);
            }
            return;
        }
        T* lanes = (T*)&v;
        for (int i = 0; i < n; i++) p[i] = lanes[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator +(Vec512<T> a, Vec512<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator -(Vec512<T> a, Vec512<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator *(Vec512<T> a, Vec512<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator /(Vec512<T> a, Vec512<T> b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> MultiplyAdd(Vec512<T> a, Vec512<T> b, Vec512<T> c)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported) return new(Avx512F.FusedMultiplyAdd(a.V.As<T, float>(), b.V.As<T, float>(), c.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double) && Avx512F.IsSupported) return new(Avx512F.FusedMultiplyAdd(a.V.As<T, double>(), b.V.As<T, double>(), c.V.As<T, double>()).As<double, T>());
        return new(a.V * b.V + c.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Min(Vec512<T> a, Vec512<T> b) => new(Vector512.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Max(Vec512<T> a, Vec512<T> b) => new(Vector512.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> GreaterOf(Vec512<T> a, Vec512<T> b) => typeof(T) == typeof(float) && Avx512F.IsSupported
        ? new(Avx512F.Max(a.V.AsSingle(), b.V.AsSingle()).As<float, T>())
        : new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.V, b.V), a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> GreaterThan(Vec512<T> a, Vec512<T> b) => new(Vector512.GreaterThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Evens(Vec512<T> lo, Vec512<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Evens: 32-bit lanes only");
        if (Avx512F.IsSupported)
        {
            var idx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            return new(Avx512F.PermuteVar16x32x2(lo.V.AsSingle(), idx, hi.V.AsSingle()).As<float, T>());
        }
        return new(Vector512.Create(Vec256<T>.Evens(new(lo.V.GetLower()), new(lo.V.GetUpper())).V, Vec256<T>.Evens(new(hi.V.GetLower()), new(hi.V.GetUpper())).V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Odds(Vec512<T> lo, Vec512<T> hi)
    {
        if (Unsafe.SizeOf<T>() != 4) throw new NotSupportedException("Odds: 32-bit lanes only");
        if (Avx512F.IsSupported)
        {
            var idx = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
            return new(Avx512F.PermuteVar16x32x2(lo.V.AsSingle(), idx, hi.V.AsSingle()).As<float, T>());
        }
        return new(Vector512.Create(Vec256<T>.Odds(new(lo.V.GetLower()), new(lo.V.GetUpper())).V, Vec256<T>.Odds(new(hi.V.GetLower()), new(hi.V.GetUpper())).V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> LessThan(Vec512<T> a, Vec512<T> b) => new(Vector512.LessThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Select(Vec512<T> mask, Vec512<T> ifTrue, Vec512<T> ifFalse) => new(Vector512.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Abs(Vec512<T> a) => new(Vector512.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Sqrt(Vec512<T> a) => new(Vector512.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Floor(Vec512<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Floor(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Floor(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Ceiling(Vec512<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Ceiling(a.V.As<T, float>()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Ceiling(a.V.As<T, double>()).As<double, T>());
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vec512<T> a) => Vector512.Sum(a.V);
}
