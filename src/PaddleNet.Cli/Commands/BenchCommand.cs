using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace PaddleNet.Cli.Commands;

/// <summary><c>paddlenet bench MODEL [--threads N] [--warmup W] [--runs R] [--shape NAME=1x3x224x224] [--json] [--profile] [--synthetic-weights [SEED]] [--precision fp32|bf16]</c>.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter? stderr = null)
    {
        var model = new Argument<string>("model") { Description = "Model directory or program file" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Timed runs", DefaultValueFactory = _ => 20 };
        var shapes = new Option<string[]>("--shape") { Description = "Input shape as NAME=1x3x224x224 (needed for dynamic dimensions other than batch)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON line with median_ms, min_ms, max_ms, runs_per_s" };
        var profile = new Option<bool>("--profile") { Description = "Also print time per operator type (averaged over the timed runs) and its achieved GFLOP/s (convolutions, fc) or GB/s (inputs + outputs, other ops)" };
        var synthetic = SyntheticWeightsOption.Create();
        var precision = PrecisionOption.Create();
        var command = new Command("bench", "Time a model on random inputs (median/min/max latency)") { model, threads, warmup, runs, shapes, json, profile, synthetic, precision };
        command.SetAction(result =>
        {
            int threadCount = Math.Max(1, result.GetValue(threads));
            using var session = new InferenceSession(result.GetValue(model)!, new SessionOptions { IntraOpThreads = threadCount, SyntheticWeights = SyntheticWeightsOption.Get(result, synthetic), Precision = PrecisionOption.Get(result, precision) });
            if (!result.GetValue(json)) SyntheticWeightsOption.Report(session, stdout, stderr ?? Console.Error);
            else if (session.Model.ReplacedWeights) SyntheticWeightsOption.Report(session, TextWriter.Null, stderr ?? Console.Error);
            var given = new Dictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var spec in result.GetValue(shapes) ?? [])
            {
                int eq = spec.IndexOf('=');
                if (eq <= 0) throw new PaddleNetException($"--shape '{spec}': expected NAME=1x3x224x224");
                try
                {
                    given[spec[..eq]] = spec[(eq + 1)..].Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                }
                catch (FormatException)
                {
                    throw new PaddleNetException($"--shape '{spec}': dimensions must be integers separated by 'x'");
                }
            }
            var rng = new Random(7);
            var feeds = new Tensor[session.Inputs.Count];
            for (int i = 0; i < feeds.Length; i++)
            {
                var info = session.Inputs[i];
                var shape = given.TryGetValue(info.Name, out var s) ? s : info.Shape.Select((d, k) => d >= 0 ? (int)d : k == 0 ? 1 : throw new PaddleNetException($"input '{info.Name}' has dynamic dimension {k}; pass --shape {info.Name}=...")).ToArray();
                feeds[i] = RandomTensor(info.DataType, shape, rng);
            }
            var first = session.Run(session.Inputs.Select((info, i) => (info.Name, feeds[i])).ToDictionary(p => p.Name, p => p.Item2));
            var outputs = first.Select(t => new Tensor(t.DataType, t.Shape)).ToArray();
            for (int i = 0; i < result.GetValue(warmup); i++) session.Run(feeds, outputs);
            int n = Math.Max(1, result.GetValue(runs));
            var times = new double[n];
            for (int i = 0; i < n; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                session.Run(feeds, outputs);
                times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            Array.Sort(times);
            if (result.GetValue(profile))
            {
                var run = new RunOptions { Profile = new RunProfile() };
                for (int i = 0; i < n; i++) session.Run(feeds, outputs, run);
                double sum = run.Profile.Operators.Values.Sum(p => p.Milliseconds);
                foreach (var (op, p) in run.Profile.Operators.OrderByDescending(kv => kv.Value.Milliseconds))
                {
                    double ms = p.Milliseconds;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-28} {ms / n,9:0.000} ms  {100 * ms / sum,5:0.0}%  {p.Rate}"));
                }
            }
            double median = n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
            var ci = CultureInfo.InvariantCulture;
            if (result.GetValue(json))
            {
                stdout.WriteLine(string.Create(ci, $"{{\"model\":\"{Escape(result.GetValue(model)!)}\",\"threads\":{threadCount},\"runs\":{n},\"median_ms\":{median:0.###},\"min_ms\":{times[0]:0.###},\"max_ms\":{times[^1]:0.###},\"runs_per_s\":{1000 / median:0.##},\"weights\":\"{(session.Model.HasSyntheticWeights ? "synthetic" : "model")}\"}}"));
            }
            else
            {
                stdout.WriteLine(string.Create(ci, $"threads {threadCount}, {n} runs: median {median:0.###} ms, min {times[0]:0.###} ms, max {times[^1]:0.###} ms, {1000 / median:0.##} runs/s"));
            }
            return Program.Ok;
        });
        return command;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static Tensor RandomTensor(DataType type, int[] shape, Random rng)
    {
        var t = new Tensor(type, shape);
        switch (type)
        {
            case DataType.Float32:
                foreach (ref var x in t.AsSpan<float>()) x = (float)(rng.NextDouble() * 2 - 1);
                break;
            case DataType.Int32:
                foreach (ref var x in t.AsSpan<int>()) x = rng.Next(1, 64);
                break;
            case DataType.Int64:
                foreach (ref var x in t.AsSpan<long>()) x = rng.Next(1, 64);
                break;
        }
        return t;
    }
}
