using System.Reflection;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Runtime;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>
/// Issue 14 item 3: the opt-in bf16 precision. Fp32 is the default; bf16 is refused with a typed exception naming what
/// is missing — the CPU feature AVX512_BF16 (read with CPUID, checked here against the kernel's /proc/cpuinfo flags), or,
/// on CPUs that have it, the .NET intrinsics to issue its instructions (checked here by reflection over the runtime).
/// </summary>
public sealed class PrecisionTests
{
    private static string SmallModel => SharedData.Path("models", "zoo", "PPLCNet_x0_25", "legacy");

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PaddleNet.Cli.Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string ExpectedMissing => PrecisionSupport.CpuHasAvx512Bf16 ? "BF16 intrinsics in .NET" : "AVX512_BF16";

    [Fact]
    public void Default_IsFp32_AndRuns()
    {
        Assert.Equal(Precision.Fp32, new SessionOptions().Precision);
        using var session = new InferenceSession(SmallModel, new SessionOptions { Precision = Precision.Fp32 });
        Assert.Equal(Precision.Fp32, session.Options.Precision);
    }

    [Fact]
    public void Bf16_RefusedOnThisMachine_NamingWhatIsMissing()
    {
        var e = Assert.Throws<UnsupportedPrecisionException>(() => new InferenceSession(SmallModel, new SessionOptions { Precision = Precision.Bf16 }));
        Assert.Equal(Precision.Bf16, e.Precision);
        Assert.Equal(ExpectedMissing, e.MissingFeature);
        Assert.Contains(PrecisionSupport.CpuHasAvx512Bf16 ? "exposes no BF16 instructions" : "needs a CPU with AVX512_BF16", e.Message);
        Assert.Contains("use fp32", e.Message);
        // The model-object constructor refuses too.
        Assert.Throws<UnsupportedPrecisionException>(() => new InferenceSession(PaddleModel.Load(SmallModel), new SessionOptions { Precision = Precision.Bf16 }));
    }

    [Fact]
    public void Require_BothAnswers_WhateverThisCpu()
    {
        PrecisionSupport.Require(Precision.Fp32, cpuHasAvx512Bf16: false, "test CPU");
        var noCpu = Assert.Throws<UnsupportedPrecisionException>(() => PrecisionSupport.Require(Precision.Bf16, cpuHasAvx512Bf16: false, "test CPU"));
        Assert.Equal("AVX512_BF16", noCpu.MissingFeature);
        Assert.Contains("this CPU (test CPU) does not have it", noCpu.Message);
        var noRuntime = Assert.Throws<UnsupportedPrecisionException>(() => PrecisionSupport.Require(Precision.Bf16, cpuHasAvx512Bf16: true, "test CPU"));
        Assert.Equal("BF16 intrinsics in .NET", noRuntime.MissingFeature);
        Assert.Contains("no Avx512Bf16 intrinsics", noRuntime.Message);
        Assert.Throws<UnsupportedPrecisionException>(() => PrecisionSupport.Require((Precision)7, true, "test CPU"));
    }

    [Fact]
    public void CpuIdDecode_AgreesWithTheKernelsCpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        Assert.False(string.IsNullOrWhiteSpace(PrecisionSupport.CpuName));
        if (!OperatingSystem.IsLinux() || !X86Base.IsSupported || !File.Exists(cpuinfo)) return; // the flags below need Linux on x86-64
        var lines = File.ReadAllLines(cpuinfo);
        var flags = lines.First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(flags.Contains("avx512_bf16") && Avx512F.IsSupported, PrecisionSupport.CpuHasAvx512Bf16);
        // The brand string is 48 bytes of CPUID: printable, trimmed. It is not compared with the kernel's "model name":
        // a hypervisor may show the two differently (seen: kernel "AMD EPYC", CPUID "Oxide Virtual Turin-like Processor").
        var name = PrecisionSupport.CpuName;
        Assert.InRange(name.Length, 1, 48);
        Assert.Equal(name.Trim(), name);
        Assert.All(name, ch => Assert.InRange(ch, ' ', '~'));
    }

    /// <summary>
    /// What blocks a bf16 kernel: the runtime's System.Runtime.Intrinsics.X86 has no BF16 class or method. When a .NET
    /// release adds one this test fails, and the bf16 GEMM can be written (then this test goes).
    /// </summary>
    [Fact]
    public void Runtime_ExposesNoBf16Intrinsics()
    {
        var x86 = typeof(Avx2).Assembly.GetTypes().Where(t => t.Namespace == "System.Runtime.Intrinsics.X86" && (t.IsPublic || t.IsNestedPublic)).ToArray();
        Assert.Contains(x86, t => t.Name == "Avx10v1"); // the scan sees the newest ISA classes
        static bool Bf16Name(string n) => n.Contains("bf16", StringComparison.OrdinalIgnoreCase) || n.Contains("bfloat", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(x86, t => Bf16Name(t.Name));
        var methods = x86.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)).Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToArray();
        Assert.NotEmpty(methods);
        Assert.DoesNotContain(methods, Bf16Name);
    }

    [Fact]
    public void Cli_PrecisionBf16_RefusedWithTheReason_Fp32Runs_OthersRejected()
    {
        foreach (var command in new[] { new[] { "bench", SmallModel, "--runs", "1", "--warmup", "0" }, new[] { "run", SmallModel, "-i", "x=none.npy", "-o", Path.GetTempPath() } })
        {
            var (code, _, err) = Cli([.. command, "--precision", "bf16"]);
            Assert.Equal(1, code);
            Assert.Contains(PrecisionSupport.CpuHasAvx512Bf16 ? "exposes no BF16 instructions" : "AVX512_BF16", err);
        }
        foreach (var command in new[] { new[] { "predict", "-c", "none.yaml" }, new[] { "serve", "-c", "none.yaml" } })
        {
            // Refused before the config is read (the file does not exist).
            var (code, _, err) = Cli([.. command, "--precision", "bf16"]);
            Assert.Equal(1, code);
            Assert.Contains("bf16 precision", err);
        }
        var ok = Cli("bench", SmallModel, "--runs", "1", "--warmup", "0", "--shape", "x=1x3x48x64", "--precision", "fp32");
        Assert.Equal(0, ok.Code);
        var bad = Cli("bench", SmallModel, "--runs", "1", "--precision", "fp16");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("expected fp32 or bf16", bad.Err + bad.Out);
    }
}
