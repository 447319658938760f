using System.Diagnostics;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

/// <summary>
/// Mutation fuzzing over the shared models: every mutated program or parameter file must either
/// load or fail with a <see cref="PaddleNetException"/> — never another exception, never a hang.
/// Bounded by count and time so CI stays fast; the seed is fixed so failures reproduce.
/// </summary>
public sealed class FuzzTests
{
    private const int MutationsPerSeedFile = 400;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PerLoadLimit = TimeSpan.FromSeconds(10);

    private static IEnumerable<(string Name, byte[] Program, byte[]? Params)> Seeds()
    {
        static (string, byte[], byte[]?) Pair(string dir, string program, string? pars) =>
            (SharedData.Relative(Path.Combine(dir, program)), File.ReadAllBytes(Path.Combine(dir, program)), pars is null ? null : File.ReadAllBytes(Path.Combine(dir, pars)));
        yield return Pair(SharedData.Path("ops", "conv2d", "k3_s1_p1", "legacy"), "model.pdmodel", "model.pdiparams");
        yield return Pair(SharedData.Path("ops", "conv2d", "k3_s1_p1", "pir"), "model.json", "model.pdiparams");
        yield return Pair(SharedData.Path("ops", "reshape2", "zero_and_m1", "legacy"), "model.pdmodel", null);
        yield return Pair(SharedData.Path("ops", "multiclass_nms3", "basic", "pir"), "model.json", null);
        yield return Pair(SharedData.Path("models", "cls", "ch_ppocr_mobile_v2.0_cls"), "inference.pdmodel", "inference.pdiparams");
        yield return Pair(SharedData.Path("models", "zoo", "ShuffleNetV2_x0_25", "pir"), "inference.json", "inference.pdiparams");
        yield return Pair(SharedData.Path("models", "cls", "mnist_mlp"), "__model__", null);
        // Paddle Lite: a synthetic meta_version 2 .nb first (small, so its mutations are cheap), then real
        // files of each layout: meta_version 2 (FlatBuffers), 0 (naive buffer), two-file naive.
        yield return ("synthetic tiny.nb", Lite.TinyNb.Build(), null);
        yield return Pair(SharedData.Path("models", "lite", "opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8"), "model.nb", null);
        yield return Pair(SharedData.Path("models", "lite", "paddlehub_face_lite_old"), "mask_detector_for_cpu.model.nb", null);
        yield return Pair(SharedData.Path("models", "lite", "face_ssd_lite0.7_twofile"), "__model__.nb", "param.nb");
    }

    [Fact]
    public void MutatedModelFiles_Load_OnlyEverThrowPaddleNetException()
    {
        var rng = new Random(20261127);
        var clock = Stopwatch.StartNew();
        int runs = 0, loaded = 0, rejected = 0;
        foreach (var (name, program, pars) in Seeds())
        {
            for (int i = 0; i < MutationsPerSeedFile && clock.Elapsed < Budget; i++)
            {
                bool mutateParams = pars is not null && rng.Next(3) == 0;
                var p = mutateParams ? program : ModelMutator.Mutate(program, rng, out _);
                var w = mutateParams ? ModelMutator.Mutate(pars!, rng, out _) : pars;
                var outcome = TryLoad(p, w);
                runs++;
                switch (outcome)
                {
                    case null: loaded++; break;
                    case PaddleNetException: rejected++; break;
                    default: Assert.Fail($"{name} mutation #{i} ({(mutateParams ? "params" : "program")}): {outcome.GetType().Name}: {outcome.Message}\n{outcome.StackTrace}"); break;
                }
            }
        }
        Assert.True(runs >= 1000, $"only {runs} mutations ran within {Budget}");
        Assert.True(rejected > 0, "no mutation was rejected: the mutator does nothing");
    }

    [Fact]
    public void TruncatedModelFiles_AtEveryLength_ThrowModelFormatException()
    {
        var dir = SharedData.Path("ops", "conv2d", "k3_s2_bias_add_odd", "legacy");
        var program = File.ReadAllBytes(Path.Combine(dir, "model.pdmodel"));
        var pars = File.ReadAllBytes(Path.Combine(dir, "model.pdiparams"));
        for (int n = 0; n < pars.Length; n++)
        {
            Assert.Throws<ModelFormatException>(() => PaddleModel.Load(program, pars.AsMemory(0, n)));
        }
        // A protobuf cut exactly between two top-level fields is a valid, shorter message; every
        // other cut must be reported, and no cut may surface as anything but a PaddleNetException.
        int rejected = 0;
        for (int n = 0; n < program.Length; n++)
        {
            var e = TryLoad(program[..n], pars);
            Assert.True(e is null or PaddleNetException, $"truncated program at {n}: {e}");
            if (e is not null) rejected++;
        }
        Assert.True(rejected > program.Length * 9 / 10, $"only {rejected} of {program.Length} truncations were reported");
        var pirDir = SharedData.Path("ops", "conv2d", "k3_s2_bias_add_odd", "pir");
        var json = File.ReadAllBytes(Path.Combine(pirDir, "model.json"));
        for (int n = 0; n < json.Length; n += 7)
        {
            Assert.Throws<ModelFormatException>(() => PaddleModel.Load(json.AsMemory(0, n), pars));
        }
    }

    private static Exception? TryLoad(byte[] program, byte[]? pars)
    {
        var task = Task.Run(() =>
        {
            try
            {
                PaddleModel.Load(program, pars is null ? null : pars.AsMemory());
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        if (!task.Wait(PerLoadLimit)) throw new TimeoutException("a mutated model took longer than the per-load limit: the loader may hang");
        return task.Result;
    }
}
