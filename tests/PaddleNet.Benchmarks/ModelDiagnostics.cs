using System.Diagnostics;
using System.Globalization;
using PaddleNet.Runtime;

namespace PaddleNet.Benchmarks;

/// <summary>Whole-model diagnostics for <c>--quick steps</c> (per-layer 1- vs 2-thread times) and <c>--quick load</c> (warm-process load + first run).</summary>
internal static partial class ModelDiagnostics
{
    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec ts);

    /// <summary>CPU time of the calling thread in ms (Linux CLOCK_THREAD_CPUTIME_ID: time it was descheduled is not counted), NaN elsewhere.</summary>
    private static double ThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(3, out var ts) != 0) return double.NaN;
        return ts.Seconds * 1e3 + ts.Nanoseconds / 1e6;
    }

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
    /// Each step's minimum time over <paramref name="runs"/> interleaved runs (after 40 untimed ones) at 1 and 2 threads (minimums, so other
    /// processes' load mostly drops out), listed by the time lost against a perfect 2× split (t2 − t1/2).
    /// </summary>
    public static void Steps(string model, int runs, int top)
    {
        // Untimed runs first: ops a run calls once (softmax, the head) stay on the JIT's unoptimised tier for the first
        // 30-odd calls (softmax 1000 measured 0.020-0.028 ms there, 0.004 ms optimised).
        const int Warm = 40;
        using var s1 = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 });
        using var s2 = new InferenceSession(model, new SessionOptions { IntraOpThreads = 2 });
        var x = RandomInput(s1);
        var outs = s1.Run(new Dictionary<string, Tensor> { [s1.Inputs[0].Name] = x }).Select(o => new Tensor(o.DataType, o.Shape)).ToArray();
        // Keyed by the step itself (its kernel: the same object in both sessions' plans is not shared, so by position in the plan).
        var min = new[] { new Dictionary<int, double>(), new Dictionary<int, double>() };
        var names = new Dictionary<int, string>();
        var position = new[] { 0, 0 };
        var totals = new[] { new List<double>(), new List<double>() };
        var plain = new[] { new List<double>(), new List<double>() };
        var all = new[] { new Dictionary<int, List<double>>(), new Dictionary<int, List<double>>() };
        for (int r = 0; r < runs + Warm; r++)
        {
            for (int which = 0; which < 2; which++)
            {
                // The same run without a profile: the profile's own bookkeeping is not in this figure.
                long p0 = Stopwatch.GetTimestamp();
                (which == 0 ? s1 : s2).Run([x], outs);
                if (r >= Warm) plain[which].Add(Stopwatch.GetElapsedTime(p0).TotalMilliseconds);
                var m = min[which];
                var each = all[which];
                var opts = new RunOptions
                {
                    Profile = new RunProfile
                    {
                        OnStep = (step, ctx, ms) =>
                        {
                            if (r < Warm) return;
                            int key = position[which]++;
                            m[key] = m.TryGetValue(key, out var v) ? Math.Min(v, ms) : ms;
                            if (!each.TryGetValue(key, out var list)) each[key] = list = new List<double>();
                            list.Add(ms);
                            if (!names.ContainsKey(key))
                            {
                                var shape = step.Writes.Length > 0 && ctx.IsDefined(step.Writes[0]) ? string.Join("x", ctx.Shape(step.Writes[0]).ToArray()) : "";
                                var input = step.Reads.Length > 0 && ctx.IsDefined(step.Reads[0]) ? string.Join("x", ctx.Shape(step.Reads[0]).ToArray()) : "";
                                names[key] = $"#{step.OpIndex} {step.OpType} {input}->{shape}";
                            }
                        },
                    },
                };
                position[which] = 0;
                long t0 = Stopwatch.GetTimestamp();
                (which == 0 ? s1 : s2).Run([x], outs, opts);
                if (r >= Warm) totals[which].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }
        double Med(List<double> l) { var a = l.Order().ToArray(); return a[a.Length / 2]; }
        var ci = CultureInfo.InvariantCulture;
        double sum1 = min[0].Values.Sum(), sum2 = min[1].Values.Sum();
        Console.WriteLine(string.Create(ci, $"{Path.GetFileName(model.TrimEnd('/'))}: run median t1 {Med(totals[0]):F2} ms t2 {Med(totals[1]):F2} ms ({Med(totals[0]) / Med(totals[1]):F2}x); sum of step minimums t1 {sum1:F2} t2 {sum2:F2} ({sum1 / sum2:F2}x)"));
        double med1 = all[0].Values.Sum(Med), med2 = all[1].Values.Sum(Med);
        Console.WriteLine(string.Create(ci, $"  without profile: run median t1 {Med(plain[0]):F2} t2 {Med(plain[1]):F2}, min t1 {plain[0].Min():F2} t2 {plain[1].Min():F2}; profiled run min t1 {totals[0].Min():F2} t2 {totals[1].Min():F2}; sum of step medians t1 {med1:F2} t2 {med2:F2}"));
        // top < 0: every step in plan order (to line up with another runtime's per-node profile).
        var order = top < 0 ? min[0].Keys.Order() : min[0].Keys.OrderByDescending(k => min[1][k] - min[0][k] / 2).Take(top);
        foreach (var op in order)
        {
            double a = min[0][op], b = min[1][op];
            Console.WriteLine(string.Create(ci, $"  {names[op],-64} t1 {a,7:F3}  t2 {b,7:F3}  {a / b,5:F2}x  lost {b - a / 2,6:F3} ms"));
        }
        foreach (var g in min[0].Keys.GroupBy(k => names[k].Split(' ')[1]).OrderByDescending(g => g.Sum(k => min[1][k] - min[0][k] / 2)))
        {
            double a = g.Sum(k => min[0][k]), b = g.Sum(k => min[1][k]);
            Console.WriteLine(string.Create(ci, $"  {g.Key,-28} x{g.Count(),-3} t1 {a,7:F3}  t2 {b,7:F3}  {a / b,5:F2}x  lost {b - a / 2,6:F3} ms"));
        }
    }

    /// <summary>
    /// Where a whole run's time goes beyond its layers' best times (<c>--quick gap</c>), at <paramref name="threads"/> threads.
    /// Four kinds of run, interleaved so the machine's load hits them alike: plain runs (no profile); profiled runs (each
    /// step timed as it runs in the sequence); "hot" runs that execute every step a second time right after itself and time
    /// that repeat (its inputs, weights and output then sit in cache, so in-run − hot is what the step loses to a cold
    /// cache); and runs that time each step's first execution again in a fresh order (the same as profiled, to check the
    /// figures repeat). Prints sums of per-step minimums and medians, and the plain runs' distribution.
    /// </summary>
    public static void Gap(string model, int runs, int threads, int top)
    {
        using var s = new InferenceSession(model, new SessionOptions { IntraOpThreads = threads });
        var x = RandomInput(s);
        var outs = s.Run(new Dictionary<string, Tensor> { [s.Inputs[0].Name] = x }).Select(o => new Tensor(o.DataType, o.Shape)).ToArray();
        // Keyed by the step itself: a fused op's OpIndex is its place in the rewritten list, which another op's index can equal.
        var inRun = new Dictionary<object, List<double>>(ReferenceEqualityComparer.Instance);
        var hot = new Dictionary<object, List<double>>(ReferenceEqualityComparer.Instance);
        var names = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        var plain = new List<double>();
        var plainCpu = new List<double>();
        var profiled = new List<double>();
        bool record = false;
        void Add(Dictionary<object, List<double>> d, object k, double v)
        {
            if (!record) return;
            if (!d.TryGetValue(k, out var l)) d[k] = l = new List<double>();
            l.Add(v);
        }
        double runSteps = 0;
        var stepSums = new List<double>();
        var outside = new List<double>();
        var timed = new RunOptions { Profile = new RunProfile { OnStep = (step, ctx, ms) => { Add(inRun, step, ms); runSteps += ms; names.TryAdd(step, $"#{step.OpIndex} {step.OpType}"); } } };
        var repeat = new RunOptions
        {
            Profile = new RunProfile
            {
                OnStep = (step, ctx, ms) =>
                {
                    long t0 = Stopwatch.GetTimestamp();
                    step.Kernel.Execute(ctx);
                    Add(hot, step, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                },
            },
        };
        for (int r = 0; r < runs + 5; r++)
        {
            record = r >= 5;
            double c0 = ThreadCpuMs();
            long t0 = Stopwatch.GetTimestamp();
            s.Run([x], outs);
            if (record)
            {
                plain.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                plainCpu.Add(ThreadCpuMs() - c0);
            }
            runSteps = 0;
            t0 = Stopwatch.GetTimestamp();
            s.Run([x], outs, timed);
            double total = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (record)
            {
                profiled.Add(total);
                stepSums.Add(runSteps);
                outside.Add(total - runSteps);
            }
            s.Run([x], outs, repeat);
        }
        static double Q(IEnumerable<double> l, double q) { var a = l.Order().ToArray(); return a[(int)(q * (a.Length - 1))]; }
        var ci = CultureInfo.InvariantCulture;
        double minIn = inRun.Values.Sum(l => l.Min()), medIn = inRun.Values.Sum(l => Q(l, 0.5));
        double minHot = hot.Values.Sum(l => l.Min()), medHot = hot.Values.Sum(l => Q(l, 0.5));
        Console.WriteLine(string.Create(ci, $"{Path.GetFileName(model.TrimEnd('/'))} t{threads}, {runs} runs of each kind, {inRun.Count} steps"));
        Console.WriteLine(string.Create(ci, $"  plain runs: min {plain.Min():F2}  p10 {Q(plain, 0.1):F2}  p25 {Q(plain, 0.25):F2}  median {Q(plain, 0.5):F2}  p90 {Q(plain, 0.9):F2} ms"));
        Console.WriteLine(string.Create(ci, $"  plain runs, calling thread's CPU time: min {plainCpu.Min():F2}  p25 {Q(plainCpu, 0.25):F2}  median {Q(plainCpu, 0.5):F2} ms; wall − CPU (calling thread descheduled) median {Q(plain.Zip(plainCpu, (w, c) => w - c), 0.5):F2} ms"));
        Console.WriteLine(string.Create(ci, $"  profiled runs: min {profiled.Min():F2}  median {Q(profiled, 0.5):F2} ms"));
        Console.WriteLine(string.Create(ci, $"  one profiled run's steps added up: min {stepSums.Min():F2}  median {Q(stepSums, 0.5):F2} ms; time outside its steps (loop, profile callbacks, output copy): min {outside.Min():F3}  median {Q(outside, 0.5):F3} ms"));
        Console.WriteLine(string.Create(ci, $"  steps in run order: sum of minimums {minIn:F2}, sum of medians {medIn:F2} ms"));
        Console.WriteLine(string.Create(ci, $"  steps repeated hot: sum of minimums {minHot:F2}, sum of medians {medHot:F2} ms (cold-cache loss: {minIn - minHot:F2} on minimums, {medIn - medHot:F2} on medians)"));
        foreach (var k in inRun.Keys.OrderByDescending(k => inRun[k].Min() - hot[k].Min()).Take(top))
        {
            Console.WriteLine(string.Create(ci, $"  {names[k],-24} in run min {inRun[k].Min(),7:F3} med {Q(inRun[k], 0.5),7:F3}   hot min {hot[k].Min(),7:F3} med {Q(hot[k], 0.5),7:F3}"));
        }
    }

    /// <summary>
    /// Run times in a fresh process, in order (<c>--quick warmup</c>): the median of each window of 10 runs, to show
    /// when the code a run calls once (per-op dispatch, small kernels) reaches the JIT's optimised tier.
    /// </summary>
    public static void Warmup(string model, int runs, int threads, bool steps = false)
    {
        using var s = new InferenceSession(model, new SessionOptions { IntraOpThreads = threads });
        var x = RandomInput(s);
        long f0 = Stopwatch.GetTimestamp();
        var outs = s.Run(new Dictionary<string, Tensor> { [s.Inputs[0].Name] = x }).Select(o => new Tensor(o.DataType, o.Shape)).ToArray();
        double first = Stopwatch.GetElapsedTime(f0).TotalMilliseconds;
        double jit0 = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        var times = new List<double>();
        var jit = new List<double>(); // JIT time (all threads, incl. background tier-up) by the end of each run
        // steps: each step's summed time over the first and the last 10 runs, to name the steps that are slow while tiering.
        var early = new Dictionary<int, double>();
        var late = new Dictionary<int, double>();
        var names = new Dictionary<int, string>();
        int at = 0, run = 0;
        var opts = !steps ? null : new RunOptions
        {
            Profile = new RunProfile
            {
                OnStep = (step, ctx, ms) =>
                {
                    int key = at++;
                    names.TryAdd(key, $"#{step.OpIndex} {step.OpType}");
                    var d = run < 10 ? early : run >= runs - 10 ? late : null;
                    if (d != null) d[key] = d.GetValueOrDefault(key) + ms;
                },
            },
        };
        for (int r = 0; r < runs; r++)
        {
            at = 0;
            run = r;
            long t0 = Stopwatch.GetTimestamp();
            s.Run([x], outs, opts);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            jit.Add(System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);
        }
        var ci = CultureInfo.InvariantCulture;
        var windows = times.Chunk(10).Select(w => { var a = w.Order().ToArray(); return string.Create(ci, $"{a[a.Length / 2]:F2}/{a[0]:F2}"); });
        var jitPer = Enumerable.Range(0, (runs + 9) / 10).Select(i => jit[Math.Min(runs, 10 * i + 10) - 1] - (i == 0 ? jit0 : jit[10 * i - 1]));
        Console.WriteLine(string.Create(ci, $"{Path.GetFileName(model.TrimEnd('/'))} t{threads} first run {first:F1} ms (JIT included), then median/min per 10 runs: {string.Join(" ", windows)}"));
        Console.WriteLine(string.Create(ci, $"  JIT ms per 10 runs: {string.Join(" ", jitPer.Select(v => v.ToString("F1", ci)))}"));
        foreach (var k in early.Keys.OrderByDescending(k => early[k] - late.GetValueOrDefault(k)).Take(steps ? 15 : 0))
        {
            Console.WriteLine(string.Create(ci, $"  {names[k],-40} first 10 runs {early[k] / 10,8:F3} ms/run, last 10 {late.GetValueOrDefault(k) / 10,8:F3}"));
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
