using System.Diagnostics;
using System.Globalization;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>Whole-model diagnostics for <c>--quick steps</c> (per-layer 1- vs 2-thread times) and <c>--quick load</c> (warm-process load + first run).</summary>
internal static class ModelDiagnostics
{
    private static Tensor RandomInput(InferenceSession s)
    {
        var info = s.Inputs[0];
        var shape = info.Shape.Select((d, k) => d >= 0 ? (int)d : 1).ToArray();
        var t = new Tensor(DataType.Float32, shape);
        var r = new Random(7);
        foreach (ref var x in t.AsSpan<float>()) x = (float)(r.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>
    /// Each step's minimum time over <paramref name="runs"/> interleaved runs at 1 and 2 threads (minimums, so other
    /// processes' load mostly drops out), listed by the time lost against a perfect 2× split (t2 − t1/2).
    /// </summary>
    public static void Steps(string model, int runs, int top)
    {
        using var s1 = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 });
        using var s2 = new InferenceSession(model, new SessionOptions { IntraOpThreads = 2 });
        var x = RandomInput(s1);
        var outs = s1.Run(new Dictionary<string, Tensor> { [s1.Inputs[0].Name] = x }).Select(o => new Tensor(o.DataType, o.Shape)).ToArray();
        var min = new[] { new Dictionary<int, double>(), new Dictionary<int, double>() };
        var names = new Dictionary<int, string>();
        var totals = new[] { new List<double>(), new List<double>() };
        for (int r = 0; r < runs + 3; r++)
        {
            for (int which = 0; which < 2; which++)
            {
                var m = min[which];
                var opts = new RunOptions
                {
                    Profile = new RunProfile
                    {
                        OnStep = (step, ctx, ms) =>
                        {
                            if (r < 3) return;
                            m[step.OpIndex] = m.TryGetValue(step.OpIndex, out var v) ? Math.Min(v, ms) : ms;
                            if (!names.ContainsKey(step.OpIndex))
                            {
                                var shape = step.Writes.Length > 0 && ctx.IsDefined(step.Writes[0]) ? string.Join("x", ctx.Shape(step.Writes[0]).ToArray()) : "";
                                var input = step.Reads.Length > 0 && ctx.IsDefined(step.Reads[0]) ? string.Join("x", ctx.Shape(step.Reads[0]).ToArray()) : "";
                                names[step.OpIndex] = $"{step.OpType} {input}->{shape}";
                            }
                        },
                    },
                };
                long t0 = Stopwatch.GetTimestamp();
                (which == 0 ? s1 : s2).Run([x], outs, opts);
                if (r >= 3) totals[which].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }
        double Med(List<double> l) { var a = l.Order().ToArray(); return a[a.Length / 2]; }
        var ci = CultureInfo.InvariantCulture;
        double sum1 = min[0].Values.Sum(), sum2 = min[1].Values.Sum();
        Console.WriteLine(string.Create(ci, $"{Path.GetFileName(model.TrimEnd('/'))}: run median t1 {Med(totals[0]):F2} ms t2 {Med(totals[1]):F2} ms ({Med(totals[0]) / Med(totals[1]):F2}x); sum of step minimums t1 {sum1:F2} t2 {sum2:F2} ({sum1 / sum2:F2}x)"));
        foreach (var op in min[0].Keys.OrderByDescending(k => min[1][k] - min[0][k] / 2).Take(top))
        {
            double a = min[0][op], b = min[1][op];
            Console.WriteLine(string.Create(ci, $"  #{op,-4} {names[op],-58} t1 {a,7:F3}  t2 {b,7:F3}  {a / b,5:F2}x  lost {b - a / 2,6:F3} ms"));
        }
        foreach (var g in min[0].Keys.GroupBy(k => names[k].Split(' ')[0]).OrderByDescending(g => g.Sum(k => min[1][k] - min[0][k] / 2)))
        {
            double a = g.Sum(k => min[0][k]), b = g.Sum(k => min[1][k]);
            Console.WriteLine(string.Create(ci, $"  {g.Key,-28} x{g.Count(),-3} t1 {a,7:F3}  t2 {b,7:F3}  {a / b,5:F2}x  lost {b - a / 2,6:F3} ms"));
        }
    }

    /// <summary>
    /// Load + first run of <paramref name="model"/> in a process that has already loaded and run <paramref name="warmModel"/>
    /// (JIT and runtime warm, the model's files in the page cache after the first round): each round opens a new session.
    /// </summary>
    public static void Load(string warmModel, string model, int rounds, int threads)
    {
        using (var warm = new InferenceSession(warmModel, new SessionOptions { IntraOpThreads = threads }))
        {
            warm.Run(new Dictionary<string, Tensor> { [warm.Inputs[0].Name] = RandomInput(warm) });
        }
        var load = new List<double>();
        var total = new List<double>();
        var ci = CultureInfo.InvariantCulture;
        for (int r = 0; r < rounds; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long t0 = Stopwatch.GetTimestamp();
            var parsed = PaddleModel.Load(model);
            double parse = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            using var s = new InferenceSession(parsed, new SessionOptions { IntraOpThreads = threads });
            double l = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            var x = RandomInput(s);
            long t1 = Stopwatch.GetTimestamp();
            s.Run(new Dictionary<string, Tensor> { [s.Inputs[0].Name] = x });
            double first = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
            load.Add(l);
            total.Add(l + first);
            Console.WriteLine(string.Create(ci, $"round {r}: load {l:F1} ms (parse {parse:F1}, plan {l - parse:F1}) + first run {first:F1} ms = {l + first:F1} ms"));
        }
        double Med(List<double> v) { var a = v.Order().ToArray(); return a[a.Length / 2]; }
        Console.WriteLine(string.Create(ci, $"{Path.GetFileName(model.TrimEnd('/'))} threads {threads}, warm process (after {Path.GetFileName(warmModel.TrimEnd('/'))}): load + first run median {Med(total):F1} ms, min {total.Min():F1} ms (load alone median {Med(load):F1} ms) over {rounds} rounds"));
    }
}
