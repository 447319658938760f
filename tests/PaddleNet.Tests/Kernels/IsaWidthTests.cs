using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaddleNet.Kernels;
using PaddleNet.Kernels.Nn;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels;

/// <summary>
/// scripts/test reruns the kernel tests with wider ISAs switched off and names the width each rerun
/// must run in PADDLENET_EXPECT_WIDTH (512, 256, 128 or 0 = scalar). A switch that silently does
/// nothing (DOTNET_EnableAVX512F=0 on .NET 10) would leave a width untested; this test fails instead.
/// </summary>
public sealed class IsaWidthTests
{
    /// <summary>The widest vector width the JIT accelerates in this process (0 = none).</summary>
    private static int Widest() =>
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : Vector128.IsHardwareAccelerated ? 128
        : 0;

    [Fact]
    public void Rerun_RunsTheWidthItNames()
    {
        var expected = Environment.GetEnvironmentVariable("PADDLENET_EXPECT_WIDTH");
        if (expected is null)
        {
            // Default run: the widest accelerated width must agree with the x86 ISA flags the kernels test.
            if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated) Assert.Equal(512, Widest());
            else if (Avx2.IsSupported) Assert.Equal(256, Widest());
            else Assert.True(Widest() <= 128, $"widest {Widest()} without AVX2");
        }
        else
        {
            Assert.True(int.TryParse(expected, out int width), $"PADDLENET_EXPECT_WIDTH='{expected}' is not a number");
            Assert.Equal(width, Widest());
        }
    }

    /// <summary>
    /// The ISA reruns also set PADDLENET_SCRATCH_GUARD=1: if the switch stopped reaching the test host they would run
    /// unguarded, so the guard must be on then and a pinned scratch request must end on a page boundary (the no-access page).
    /// </summary>
    [Fact]
    public unsafe void Rerun_ScratchGuardTakesEffect()
    {
        if (Environment.GetEnvironmentVariable("PADDLENET_SCRATCH_GUARD") != "1") return; // only the guarded reruns
        Assert.True(GuardedScratch.Enabled);
        var scratch = new RunScratch(1);
        float* p = scratch.A(3);
        Assert.Equal(0L, (long)(p + 3) % Environment.SystemPageSize);
        Assert.True(float.IsNaN(p[0]) && float.IsNaN(p[2]), "guarded scratch starts as NaN");
        GC.KeepAlive(scratch);
    }

    /// <summary>The vector abstraction's widest accelerated width is the one the JIT reports.</summary>
    [Fact]
    public void SimdBest_MatchesTheJit()
    {
        int widest = Widest();
        Assert.Equal(widest, Simd.BestWidth);
        Assert.Equal(widest switch { 512 => Sgemm.MicroPath.V512, 256 => Sgemm.MicroPath.V256, 128 => Sgemm.Has32VectorRegisters ? Sgemm.MicroPath.V128Wide : Sgemm.MicroPath.V128, _ => Sgemm.MicroPath.Scalar }, Sgemm.BestPath);
    }
}
