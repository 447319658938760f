// The long mutation campaign of issue 17 (docs/reliability.md, scripts/fuzz): N mutants per model format, each
// loaded, planned into a session and, when its inputs are small, run on random data with a per-case timeout.
// Every case must end in success or a PaddleNetException; anything else is an untyped failure. A case past the
// timeout is slow (counted and saved), and one still running after the hang limit more is a hang. Failing and slow
// mutants are written to --out so they reproduce (--replay).
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PaddleNet;
using PaddleNet.TestSupport;
using PaddleNet.Tests.Model.Lite;

var formats = new List<string>();
int perFormat = 100_000, seed = 20261207;
double secondsLimit = double.PositiveInfinity;
var caseTimeout = TimeSpan.FromSeconds(10);
var hangLimit = TimeSpan.FromSeconds(120);
int from = 0;
HashSet<int>? only = null;
string outDir = Path.Combine(SharedData.RepoRoot, "build", "fuzz");
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--format": formats.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
        case "--per-format": perFormat = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seconds-limit": secondsLimit = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--case-timeout-ms": caseTimeout = TimeSpan.FromMilliseconds(int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--hang-seconds": hangLimit = TimeSpan.FromSeconds(int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--from": from = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--only": only = Next().Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(); break;
        case "--seed": seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--out": outDir = Next(); break;
        case "--replay": return Campaign.Replay(Next(), caseTimeout);
        default:
            Console.Error.WriteLine("usage: PaddleNet.Fuzz [--format legacy,v1,pir,nb] [--per-format N (100000)] [--seconds-limit S per format] [--case-timeout-ms T (10000)] [--hang-seconds H (120)] [--seed S] [--from K] [--only K1,K2,...] [--out DIR] | --replay STEM");
            return 2;
    }
}

if (formats.Count == 0) formats.AddRange(["legacy", "v1", "pir", "nb"]);
bool failed = false;
foreach (string format in formats)
{
    var campaign = new Campaign(format, Seeds.For(format), new Random(unchecked(seed * 31 + Seeds.Salt(format))), caseTimeout, hangLimit, Path.Combine(outDir, format)) { SkipBefore = from, Only = only };
    failed |= !campaign.Run(perFormat, TimeSpan.FromSeconds(Math.Min(secondsLimit, TimeSpan.MaxValue.TotalSeconds / 2)));
}

return failed ? 1 : 0;

/// <summary>One seed: a program, its parameters (combined file) or a folder of separate parameter files.</summary>
internal sealed record SeedModel(string Name, byte[] Program, byte[]? Params, string? SeparateParamsDir = null);

internal static partial class Seeds
{
    public static int Salt(string format) => format switch { "legacy" => 1, "v1" => 2, "pir" => 3, "nb" => 4, _ => throw new ArgumentException($"unknown format '{format}' (legacy, v1, pir, nb)") };

    public static IReadOnlyList<SeedModel> For(string format) => format switch
    {
        // Every legacy and PIR op case of the shared op suite: tiny programs that reach every reader and kernel.
        "legacy" => OpCases("legacy", "model.pdmodel"),
        "pir" => OpCases("pir", "model.json"),
        // Fluid 1.x: a __model__ with one file per parameter.
        "v1" => new[] { "mnist_mlp", "fluid2018_mlp" }.Select(m =>
        {
            string dir = SharedData.Path("models", "cls", m);
            return new SeedModel($"models/cls/{m}/__model__", File.ReadAllBytes(Path.Combine(dir, "__model__")), null, dir);
        }).ToList(),
        // Paddle Lite: the synthetic .nb in both parameter layouts (cheap), then real files of each layout.
        "nb" =>
        [
            new("synthetic tiny.nb (meta 2)", TinyNb.Build(2), null),
            new("synthetic tiny.nb (meta 1)", TinyNb.Build(1), null),
            Real("models/lite/opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8/model.nb", null),
            Real("models/lite/paddlehub_face_lite_old/mask_detector_for_cpu.model.nb", null),
            Real("models/lite/face_ssd_lite0.7_twofile/__model__.nb", "models/lite/face_ssd_lite0.7_twofile/param.nb"),
        ],
        _ => throw new ArgumentException($"unknown format '{format}' (legacy, v1, pir, nb)"),
    };

    private static SeedModel Real(string program, string? pars) =>
        new(program, SharedData.ReadAllBytes(program), pars is null ? null : SharedData.ReadAllBytes(pars));

    private static List<SeedModel> OpCases(string kind, string programFile)
    {
        var list = new List<SeedModel>();
        foreach (string dir in Directory.EnumerateDirectories(SharedData.Path("ops"), kind, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string program = Path.Combine(dir, programFile), pars = Path.Combine(dir, "model.pdiparams");
            if (!File.Exists(program)) continue;
            list.Add(new SeedModel(SharedData.Relative(program), File.ReadAllBytes(program), File.Exists(pars) ? File.ReadAllBytes(pars) : null));
        }

        if (list.Count == 0) throw new InvalidOperationException($"no {kind} op cases under {SharedData.Path("ops")}");
        return list;
    }

    // PIR numbers a reader narrows or sizes things by: scalar attribute values and the first dim of a dense tensor type.
    [GeneratedRegex("\"#\":\"[01]\\.a_(?:i32|i64|f32|f64)\",\"D\":(-?[0-9][0-9.eE+-]*)")]
    public static partial Regex PirScalarAttribute();

    [GeneratedRegex("\\[(-?[0-9]+)(?:,-?[0-9]+)*\\]")]
    public static partial Regex PirIntList();
}

internal sealed class Campaign(string format, IReadOnlyList<SeedModel> seeds, Random rng, TimeSpan caseTimeout, TimeSpan hangLimit, string outDir)
{
    private static readonly string[] s_interestingText =
    [
        "2147483648", "-2147483649", "4294967296", "4294967295", "9223372036854775807", "-9223372036854775808",
        "-1", "-2", "0", "65536", "1e300", "-1e300", "2.5", "1099511627776", "18446744073709551616", "1", "3",
    ];

    private static readonly long[] s_interestingInt64 = [-2, -1, 0, 3, long.MinValue, long.MaxValue, 1L << 31, 1L << 32, 1L << 40, int.MaxValue];

    private readonly Dictionary<string, int> _typed = new(StringComparer.Ordinal);
    /// <summary>Cases before this index are generated (the sequence stays the same) but not run.</summary>
    public int SkipBefore { get; init; }

    /// <summary>When set, only these case indices run (the sequence stays the same): to find which earlier case sets up a crash.</summary>
    public HashSet<int>? Only { get; init; }

    private int _cases, _loaded, _ran, _runCancelled, _untyped, _hangs, _slow;

    public bool Run(int count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        Directory.CreateDirectory(outDir);
        string? tempDir = null;
        for (int i = 0; i < count && clock.Elapsed < limit; i++)
        {
            var s = seeds[PickSeed()];
            var (program, pars, what, paramFile) = MutantOf(s);
            if (paramFile is not null) tempDir ??= Directory.CreateTempSubdirectory("paddlenet-fuzz-").FullName;
            Exception? outcome;
            int caseSeed = rng.Next(); // the case's own generator: a hung case must not share the campaign's
            if (i < SkipBefore) continue; // --from: the same mutants, the earlier ones not run (to bisect a crash)
            if (Only is not null && !Only.Contains(i)) continue;
            // The case about to run, kept on disk: a mutant that crashes the process (a native fault) is then known.
            // (The last 64, as a native fault can surface a few cases after the one that caused it.)
            string ring = Path.Combine(outDir, $"recent{i % 64:D2}");
            File.WriteAllBytes(ring + ".program", program);
            if (pars is not null) File.WriteAllBytes(ring + ".params", pars);
            else File.Delete(ring + ".params");
            File.WriteAllText(ring + ".txt", $"case {i}\nseed {s.Name}\nmutation {what}\n");
            var task = Task.Factory.StartNew(() => Case(s, program, pars, paramFile, tempDir, new Random(caseSeed)), TaskCreationOptions.LongRunning);
            if (!task.Wait(caseTimeout))
            {
                // Past the case timeout: a hang only if it is still running after the hang limit. A slow case (a
                // hostile shape that makes a kernel allocate and work for seconds, slower still on a loaded machine)
                // is counted and kept, not failed.
                var waited = Stopwatch.StartNew();
                if (!task.Wait(hangLimit))
                {
                    _hangs++;
                    Save(i, s, program, pars, paramFile, $"hang (> {(caseTimeout + hangLimit).TotalSeconds:0} s)", what);
                    if (_hangs >= 5) { Console.WriteLine($"{format}: 5 hangs, stopping"); break; }
                    continue;
                }

                _slow++;
                Save(i, s, program, pars, paramFile, $"slow: {(caseTimeout + waited.Elapsed).TotalSeconds:0.0} s, then {(task.Result is null ? "no exception" : task.Result.GetType().Name)}", what);
            }

            outcome = task.Result;
            _cases++;
            switch (outcome)
            {
                case null: break;
                case PaddleNetException e:
                    string key = e.GetType().Name;
                    _typed[key] = _typed.GetValueOrDefault(key) + 1;
                    break;
                default:
                    _untyped++;
                    Save(i, s, program, pars, paramFile, $"{outcome.GetType().FullName}: {outcome.Message}\n{outcome.StackTrace}", what);
                    break;
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromMinutes(5))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"{format}: {Summary(clock.Elapsed)}");
            }
        }

        if (tempDir is not null) Directory.Delete(tempDir, recursive: true);
        Console.WriteLine($"{format}: {Summary(clock.Elapsed)} (seeds {seeds.Count}, case timeout {caseTimeout.TotalSeconds:0.#} s){(_untyped + _hangs > 0 ? $"; mutants in {outDir}" : "")}");
        return _untyped == 0 && _hangs == 0;
    }

    /// <summary>Runs one saved mutant (<c>caseNNNNNN</c> stem: .program and, when saved, .params) and prints the outcome.</summary>
    public static int Replay(string stem, TimeSpan timeout)
    {
        byte[] program = File.ReadAllBytes(stem + ".program");
        byte[]? pars = File.Exists(stem + ".params") ? File.ReadAllBytes(stem + ".params") : null;
        var campaign = new Campaign("replay", [], new Random(1), timeout, TimeSpan.Zero, Path.GetDirectoryName(Path.GetFullPath(stem))!);
        var clock = Stopwatch.StartNew();
        var task = Task.Factory.StartNew(() => campaign.Case(new SeedModel(stem, program, pars), program, pars, null, null, new Random(1)), TaskCreationOptions.LongRunning);
        if (!task.Wait(timeout))
        {
            Console.WriteLine($"{stem}: still running after {timeout.TotalSeconds:0.#} s (loaded {campaign._loaded})");
            return 1;
        }

        Console.WriteLine($"{stem}: {clock.Elapsed.TotalMilliseconds:0} ms, loaded {campaign._loaded}, ran {campaign._ran}, cancelled {campaign._runCancelled}: {task.Result?.ToString() ?? "no exception"}");
        return task.Result is null or PaddleNetException ? 0 : 1;
    }

    private string Summary(TimeSpan elapsed) =>
        $"{_cases + _hangs} cases in {elapsed.TotalSeconds:0} s ({(_cases + _hangs) / Math.Max(elapsed.TotalSeconds, 1e-3):0} /s): loaded {_loaded}, ran {_ran}, run cancelled at the timeout {_runCancelled}, " +
        $"refused {_typed.Values.Sum()} ({string.Join(", ", _typed.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"))}), untyped {_untyped}, slow (over the case timeout) {_slow}, hangs {_hangs}";

    // The real Lite files are large (their mutants cost 100x a synthetic one): one case in five goes to them.
    private int PickSeed() => format == "nb" && rng.Next(5) != 0 ? rng.Next(2) : rng.Next(seeds.Count);

    private (byte[] Program, byte[]? Params, string What, string? ParamFile) MutantOf(SeedModel s)
    {
        int pick = rng.Next(10);
        if (s.SeparateParamsDir is not null && pick < 3)
        {
            // Fluid 1.x: one of the per-parameter files mutated, loaded from a folder with the program.
            var files = Directory.GetFiles(s.SeparateParamsDir).Where(f => !f.EndsWith("__model__", StringComparison.Ordinal) && File.Exists(f)).Order(StringComparer.Ordinal).ToArray();
            string file = files[rng.Next(files.Length)];
            return (s.Program, ModelMutator.Mutate(File.ReadAllBytes(file), rng, out string w), $"{Path.GetFileName(file)}: {w}", file);
        }

        if (s.Params is not null && pick < 3)
        {
            return (s.Program, ModelMutator.Mutate(s.Params, rng, out string w), $"params: {w}", null);
        }

        if (format == "pir" && pick < 7)
        {
            // Half the PIR mutants change a number (attribute value or shape) to a hostile one; bytes alone mostly
            // break the JSON before the reader sees a value.
            string json = Encoding.UTF8.GetString(s.Program);
            var sites = Seeds.PirScalarAttribute().Matches(json).Select(m => m.Groups[1])
                .Concat(Seeds.PirIntList().Matches(json).Select(m => m.Groups[1])).ToArray();
            if (sites.Length > 0)
            {
                var site = sites[rng.Next(sites.Length)];
                string value = s_interestingText[rng.Next(s_interestingText.Length)];
                return (Encoding.UTF8.GetBytes(string.Concat(json.AsSpan(0, site.Index), value, json.AsSpan(site.Index + site.Length))), s.Params, $"value at char {site.Index}: {site.Value} -> {value}", null);
            }
        }

        if (format == "nb" && pick < 6 && s.Program.Length > 16)
        {
            // An aligned int64 (dims, sizes, offsets of tensor descriptions) set to a hostile value.
            byte[] b = (byte[])s.Program.Clone();
            int at = rng.Next((b.Length - 8) / 8) * 8;
            long v = s_interestingInt64[rng.Next(s_interestingInt64.Length)];
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(at), v);
            return (b, s.Params, $"int64 at byte {at} -> {v}", null);
        }

        return (ModelMutator.Mutate(s.Program, rng, out string what), s.Params, $"program: {what}", null);
    }

    private Exception? Case(SeedModel s, byte[] program, byte[]? pars, string? paramFile, string? tempDir, Random data)
    {
        try
        {
            PaddleModel model;
            if (s.SeparateParamsDir is not null)
            {
                if (paramFile is null)
                {
                    model = PaddleModel.Load(program, null);
                }
                else
                {
                    // A private copy of the folder with the one mutated parameter file.
                    string dir = Path.Combine(tempDir!, "model");
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                    Directory.CreateDirectory(dir);
                    foreach (string f in Directory.GetFiles(s.SeparateParamsDir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
                    File.WriteAllBytes(Path.Combine(dir, Path.GetFileName(paramFile)), pars!);
                    model = PaddleModel.Load(dir);
                }
            }
            else
            {
                model = PaddleModel.Load(program, pars is null ? (ReadOnlyMemory<byte>?)null : pars); // (a bare null here would be an empty array)
            }

            Interlocked.Increment(ref _loaded);
            if (!model.HasWeights) model = model.WithSyntheticWeights();
            using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1, MaxLoopIterations = 1000, MaxRunMemoryBytes = 256L << 20 });
            var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var info in model.Inputs)
            {
                var shape = info.Shape.Select(d => d < 0 ? 1 : d > int.MaxValue ? int.MaxValue : (int)d).ToArray();
                long n = 1;
                foreach (int d in shape) n = Math.Min(n * Math.Max(d, 1), long.MaxValue / 1024);
                if (n > 1 << 20) return null; // too large to run in a campaign: loaded and planned only
                inputs[info.Name] = RandomTensor(info.DataType, shape, data);
            }

            using var cts = new CancellationTokenSource(caseTimeout / 2);
            try
            {
                session.Run(inputs, new RunOptions { CancellationToken = cts.Token });
                Interlocked.Increment(ref _ran);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                Interlocked.Increment(ref _runCancelled);
            }

            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static Tensor RandomTensor(DataType type, int[] shape, Random rng)
    {
        var t = new Tensor(type, shape);
        switch (type)
        {
            case DataType.Float32:
                foreach (ref float f in t.AsSpan<float>()) f = (float)(rng.NextDouble() * 4 - 2);
                break;
            case DataType.Float64:
                foreach (ref double f in t.AsSpan<double>()) f = rng.NextDouble() * 4 - 2;
                break;
            default:
                break; // integer and bool inputs are indices or masks: zeros are always in range
        }

        return t;
    }

    private void Save(int index, SeedModel s, byte[] program, byte[]? pars, string? paramFile, string why, string what)
    {
        string stem = Path.Combine(outDir, $"case{index:D6}");
        File.WriteAllBytes(stem + ".program", program);
        if (pars is not null) File.WriteAllBytes(stem + (paramFile is null ? ".params" : "." + Path.GetFileName(paramFile)), pars);
        File.WriteAllText(stem + ".txt", $"seed {s.Name}\nmutation {what}\n{why}\n");
        Console.WriteLine($"{format} case {index} ({s.Name}, {what}): {why.Split('\n')[0]}");
    }
}
