using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PaddleNet.Benchmarks;

/// <summary>
/// <c>--quick cores [BURSTS]</c>: whether this machine's two vCPUs are two cores right now. Each thread runs bursts of
/// ~400 µs of independent FMA chains in registers (no memory traffic), alone and then two at once; the median burst
/// time alone over the median burst time of the slower thread at two gives the 2-thread FMA scale: ~1.0 when the two
/// threads have a core each, ~0.5 when they share one core's FMA units (SMT siblings, or time-sliced). Measured on the
/// shared CI VM it moved between the two from minute to minute, which is why 2-thread benchmark rows carry it.
/// </summary>
internal static class CoreProbe
{
    private const int Chains = 12;

    public static double Scale(int bursts)
    {
        long iters = Calibrate();
        double alone = Median(Run(1, bursts, iters)[0]);
        var two = Run(2, bursts, iters);
        return alone / Math.Max(Median(two[0]), Median(two[1]));
    }

    public static void Print(int bursts)
    {
        double s = Scale(bursts);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2-thread FMA scale {s:F2} (1.0: a core per thread; 0.5: one core's FMA units shared)"));
    }

    /// <summary>Iterations that take ~400 µs on one thread.</summary>
    private static long Calibrate()
    {
        long iters = 10_000;
        Burst(iters);
        long t0 = Stopwatch.GetTimestamp();
        Burst(iters);
        double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        return Math.Max(1000, (long)(iters * 400 / Math.Max(us, 1)));
    }

    private static double[][] Run(int threads, int bursts, long iters)
    {
        var times = new double[threads][];
        using var barrier = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            times[id] = new double[bursts];
            workers[t] = new Thread(() =>
            {
                Burst(iters); // warm: JIT and the wide units
                for (int b = 0; b < bursts; b++)
                {
                    barrier.SignalAndWait();
                    long t0 = Stopwatch.GetTimestamp();
                    Burst(iters);
                    times[id][b] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                }
            }) { IsBackground = true };
            workers[t].Start();
        }
        foreach (var w in workers) w.Join();
        return times;
    }

    private static double Median(double[] a)
    {
        var s = (double[])a.Clone();
        Array.Sort(s);
        return s[s.Length / 2];
    }

    // The widest vectors the kernels use: an FMA unit shared between two threads halves at that width.
    private static float Burst(long iters) =>
        Vector512.IsHardwareAccelerated ? Chain512(iters) : Vector256.IsHardwareAccelerated ? Chain256(iters) : Chain128(iters);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain512(long iters)
    {
        Vector512<float> b = Vector512.Create(1.0000001f), c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0f), a1 = Vector512.Create(1f), a2 = Vector512.Create(2f), a3 = Vector512.Create(3f);
        Vector512<float> a4 = Vector512.Create(4f), a5 = Vector512.Create(5f), a6 = Vector512.Create(6f), a7 = Vector512.Create(7f);
        Vector512<float> a8 = Vector512.Create(8f), a9 = Vector512.Create(9f), a10 = Vector512.Create(10f), a11 = Vector512.Create(11f);
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, b, c); a1 = Vector512.FusedMultiplyAdd(a1, b, c); a2 = Vector512.FusedMultiplyAdd(a2, b, c);
            a3 = Vector512.FusedMultiplyAdd(a3, b, c); a4 = Vector512.FusedMultiplyAdd(a4, b, c); a5 = Vector512.FusedMultiplyAdd(a5, b, c);
            a6 = Vector512.FusedMultiplyAdd(a6, b, c); a7 = Vector512.FusedMultiplyAdd(a7, b, c); a8 = Vector512.FusedMultiplyAdd(a8, b, c);
            a9 = Vector512.FusedMultiplyAdd(a9, b, c); a10 = Vector512.FusedMultiplyAdd(a10, b, c); a11 = Vector512.FusedMultiplyAdd(a11, b, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain256(long iters)
    {
        Vector256<float> b = Vector256.Create(1.0000001f), c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f);
        Vector256<float> a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f);
        Vector256<float> a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, b, c); a1 = Vector256.FusedMultiplyAdd(a1, b, c); a2 = Vector256.FusedMultiplyAdd(a2, b, c);
            a3 = Vector256.FusedMultiplyAdd(a3, b, c); a4 = Vector256.FusedMultiplyAdd(a4, b, c); a5 = Vector256.FusedMultiplyAdd(a5, b, c);
            a6 = Vector256.FusedMultiplyAdd(a6, b, c); a7 = Vector256.FusedMultiplyAdd(a7, b, c); a8 = Vector256.FusedMultiplyAdd(a8, b, c);
            a9 = Vector256.FusedMultiplyAdd(a9, b, c); a10 = Vector256.FusedMultiplyAdd(a10, b, c); a11 = Vector256.FusedMultiplyAdd(a11, b, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain128(long iters)
    {
        Vector128<float> b = Vector128.Create(1.0000001f), c = Vector128.Create(1e-7f);
        Vector128<float> a0 = Vector128.Create(0f), a1 = Vector128.Create(1f), a2 = Vector128.Create(2f), a3 = Vector128.Create(3f);
        Vector128<float> a4 = Vector128.Create(4f), a5 = Vector128.Create(5f), a6 = Vector128.Create(6f), a7 = Vector128.Create(7f);
        Vector128<float> a8 = Vector128.Create(8f), a9 = Vector128.Create(9f), a10 = Vector128.Create(10f), a11 = Vector128.Create(11f);
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, b, c); a1 = Vector128.FusedMultiplyAdd(a1, b, c); a2 = Vector128.FusedMultiplyAdd(a2, b, c);
            a3 = Vector128.FusedMultiplyAdd(a3, b, c); a4 = Vector128.FusedMultiplyAdd(a4, b, c); a5 = Vector128.FusedMultiplyAdd(a5, b, c);
            a6 = Vector128.FusedMultiplyAdd(a6, b, c); a7 = Vector128.FusedMultiplyAdd(a7, b, c); a8 = Vector128.FusedMultiplyAdd(a8, b, c);
            a9 = Vector128.FusedMultiplyAdd(a9, b, c); a10 = Vector128.FusedMultiplyAdd(a10, b, c); a11 = Vector128.FusedMultiplyAdd(a11, b, c);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
