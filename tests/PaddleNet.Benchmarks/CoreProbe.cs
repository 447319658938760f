using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PaddleNet.Kernels;

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
        Vector512.IsHardwareAccelerated ? Chain<Vec512<float>>(iters) : Vector256.IsHardwareAccelerated ? Chain<Vec256<float>>(iters) : Chain<Vec128<float>>(iters);

    /// <summary>Twelve independent FMA chains, enough to keep two FMA units busy through their latency.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain<TV>(long iters) where TV : struct, IVec<TV, float>
    {
        TV b = TV.Create(1.0000001f), c = TV.Create(1e-7f);
        TV a0 = TV.Create(0f), a1 = TV.Create(1f), a2 = TV.Create(2f), a3 = TV.Create(3f), a4 = TV.Create(4f), a5 = TV.Create(5f);
        TV a6 = TV.Create(6f), a7 = TV.Create(7f), a8 = TV.Create(8f), a9 = TV.Create(9f), a10 = TV.Create(10f), a11 = TV.Create(11f);
        for (long i = 0; i < iters; i++)
        {
            a0 = TV.MultiplyAdd(a0, b, c); a1 = TV.MultiplyAdd(a1, b, c); a2 = TV.MultiplyAdd(a2, b, c); a3 = TV.MultiplyAdd(a3, b, c);
            a4 = TV.MultiplyAdd(a4, b, c); a5 = TV.MultiplyAdd(a5, b, c); a6 = TV.MultiplyAdd(a6, b, c); a7 = TV.MultiplyAdd(a7, b, c);
            a8 = TV.MultiplyAdd(a8, b, c); a9 = TV.MultiplyAdd(a9, b, c); a10 = TV.MultiplyAdd(a10, b, c); a11 = TV.MultiplyAdd(a11, b, c);
        }
        return TV.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
