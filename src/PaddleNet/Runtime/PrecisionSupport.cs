using System.Runtime.Intrinsics.X86;
using System.Text;

namespace PaddleNet.Runtime;

/// <summary>Whether a <see cref="PaddleNet.Precision"/> can run here (CPU features read with CPUID).</summary>
internal static class PrecisionSupport
{
    /// <summary>CPUID.(EAX=7,ECX=1):EAX bit 5, AVX512_BF16 (VCVTNE2PS2BF16, VDPBF16PS); the OS must also enable AVX-512 state.</summary>
    public static bool CpuHasAvx512Bf16
    {
        get
        {
            if (!X86Base.IsSupported || !Avx512F.IsSupported) return false;
            var (maxSub, _, _, _) = X86Base.CpuId(7, 0);
            if (maxSub < 1) return false;
            var (eax, _, _, _) = X86Base.CpuId(7, 1);
            return (eax & (1 << 5)) != 0;
        }
    }

    /// <summary>The CPU's brand string (CPUID 0x80000002–4), or the architecture when there is none.</summary>
    public static string CpuName
    {
        get
        {
            if (!X86Base.IsSupported) return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
            var (max, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
            if ((uint)max < 0x80000004) return "x86-64 CPU";
            var sb = new StringBuilder(48);
            for (int leaf = 0; leaf < 3; leaf++)
            {
                var (a, b, c, d) = X86Base.CpuId(unchecked((int)(0x80000002 + leaf)), 0);
                foreach (int r in new[] { a, b, c, d })
                {
                    for (int i = 0; i < 4; i++)
                    {
                        char ch = (char)((r >> (8 * i)) & 0xFF);
                        if (ch != '\0') sb.Append(ch);
                    }
                }
            }
            return sb.ToString().Trim();
        }
    }

    /// <summary>Throws when this machine cannot run <paramref name="precision"/>.</summary>
    public static void Require(Precision precision) => Require(precision, precision == Precision.Bf16 && CpuHasAvx512Bf16, CpuName);

    /// <summary>The decision, with the CPU facts given (tests cover both answers on any machine).</summary>
    internal static void Require(Precision precision, bool cpuHasAvx512Bf16, string cpuName)
    {
        switch (precision)
        {
            case Precision.Fp32:
                return;
            case Precision.Bf16 when !cpuHasAvx512Bf16:
                throw new UnsupportedPrecisionException(precision, "AVX512_BF16",
                    $"bf16 precision needs a CPU with AVX512_BF16 (CPUID leaf 7 subleaf 1, EAX bit 5); this CPU ({cpuName}) does not have it: use fp32 (the default)");
            case Precision.Bf16:
                // .NET 10's System.Runtime.Intrinsics has no Avx512Bf16 class and no BF16 conversion or dot-product
                // method on Avx10v1/Avx10v2, so managed code cannot issue VDPBF16PS: no bf16 kernel can be written yet.
                throw new UnsupportedPrecisionException(precision, "BF16 intrinsics in .NET",
                    $"bf16 precision is not available: this CPU ({cpuName}) has AVX512_BF16, but .NET 10 exposes no BF16 instructions (no Avx512Bf16 intrinsics, no VDPBF16PS), so PaddleNet has no bf16 kernels; use fp32 (the default)");
            default:
                throw new UnsupportedPrecisionException(precision, precision.ToString(), $"unknown precision {(int)precision}");
        }
    }
}
