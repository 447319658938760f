using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Depthwise 3×3 / 5×5 (dilation 1, row stride 1 or 2) over the bordered phase buffer of <see cref="DepthwiseConv2D"/>, four
/// output rows at a time (then two) with the filter held in registers: each loaded input vector feeds every output row that
/// reads it (a 5×5 stride-1 group loads 8 rows × 5 taps instead of 4 × 25). Each output is the same FMA chain as
/// <c>DepthwiseConv2D.Rows</c> (0, then x·f added per tap in (ky, kx) order), so the results are bit-identical to it.
/// The bodies are unrolled per (kernel, row stride); one body per vector width (generic over <see cref="IVec{TSelf, T}"/>).
/// </summary>
internal static unsafe class DepthwiseRows
{
    /// <summary>Whether a specialised body exists for this geometry.</summary>
    public static bool Supports(in ConvGeometry g) => g.KH == g.KW && g.KH is 3 or 5 && g.DH == 1 && g.DW == 1 && g.SH is 1 or 2;

    /// <summary>
    /// Output rows [0, ho − ho mod 2) of one plane (returns how many), <paramref name="wo"/> wide: padded input rows are SW phases of
    /// <paramref name="phaseLen"/> floats, tap kx at (kx mod SW)·phaseLen + kx / SW within a row.
    /// </summary>
    public static int Run<TV>(float* buf, int phaseLen, in ConvGeometry g, float* f, float* y, int ho, int wo)
        where TV : struct, IVec<TV, float>
    {
        int fours = ho / 4, twos = ho % 4 / 2;
        float* buf2 = buf + (long)fours * 4 * g.SH * g.SW * phaseLen;
        float* y2 = y + (long)fours * 4 * wo;
        switch (g.KH * 10 + g.SH)
        {
            case 31:
                K3S1R4<TV>(buf, phaseLen, g.SW, f, y, fours, wo);
                K3S1R2<TV>(buf2, phaseLen, g.SW, f, y2, twos, wo);
                break;
            case 32:
                K3S2R4<TV>(buf, phaseLen, g.SW, f, y, fours, wo);
                K3S2R2<TV>(buf2, phaseLen, g.SW, f, y2, twos, wo);
                break;
            case 51:
                K5S1R4<TV>(buf, phaseLen, g.SW, f, y, fours, wo);
                K5S1R2<TV>(buf2, phaseLen, g.SW, f, y2, twos, wo);
                break;
            case 52:
                K5S2R4<TV>(buf, phaseLen, g.SW, f, y, fours, wo);
                K5S2R2<TV>(buf2, phaseLen, g.SW, f, y2, twos, wo);
                break;
            default: throw new ArgumentException($"no depthwise body for {g.KH}x{g.KW} stride {g.SH}");
        }
        return fours * 4 + twos * 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K3S1R4<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f10 = TV.Create(f[3]), f11 = TV.Create(f[4]), f12 = TV.Create(f[5]), f20 = TV.Create(f[6]), f21 = TV.Create(f[7]), f22 = TV.Create(f[8]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 4 * inRow;
            float* yg = y + (long)gi * 4 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    a2 = TV.MultiplyAdd(v, f00, a2);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    a2 = TV.MultiplyAdd(v, f01, a2);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                    a2 = TV.MultiplyAdd(v, f02, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    a2 = TV.MultiplyAdd(v, f10, a2);
                    a3 = TV.MultiplyAdd(v, f00, a3);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    a2 = TV.MultiplyAdd(v, f11, a2);
                    a3 = TV.MultiplyAdd(v, f01, a3);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    a2 = TV.MultiplyAdd(v, f12, a2);
                    a3 = TV.MultiplyAdd(v, f02, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f20, a2);
                    a3 = TV.MultiplyAdd(v, f10, a3);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f21, a2);
                    a3 = TV.MultiplyAdd(v, f11, a3);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f22, a2);
                    a3 = TV.MultiplyAdd(v, f12, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f20, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f21, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f22, a3);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
                TV.StorePartial(a2, yg + 2 * wo + ox, rem);
                TV.StorePartial(a3, yg + 3 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K3S1R2<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f10 = TV.Create(f[3]), f11 = TV.Create(f[4]), f12 = TV.Create(f[5]), f20 = TV.Create(f[6]), f21 = TV.Create(f[7]), f22 = TV.Create(f[8]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 2 * inRow;
            float* yg = y + (long)gi * 2 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K3S2R4<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f10 = TV.Create(f[3]), f11 = TV.Create(f[4]), f12 = TV.Create(f[5]), f20 = TV.Create(f[6]), f21 = TV.Create(f[7]), f22 = TV.Create(f[8]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 8 * inRow;
            float* yg = y + (long)gi * 4 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    a2 = TV.MultiplyAdd(v, f00, a2);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    a2 = TV.MultiplyAdd(v, f01, a2);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    a2 = TV.MultiplyAdd(v, f02, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f10, a2);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f11, a2);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f12, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f20, a2);
                    a3 = TV.MultiplyAdd(v, f00, a3);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f21, a2);
                    a3 = TV.MultiplyAdd(v, f01, a3);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f22, a2);
                    a3 = TV.MultiplyAdd(v, f02, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f10, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f11, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f12, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f20, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f21, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f22, a3);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
                TV.StorePartial(a2, yg + 2 * wo + ox, rem);
                TV.StorePartial(a3, yg + 3 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K3S2R2<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f10 = TV.Create(f[3]), f11 = TV.Create(f[4]), f12 = TV.Create(f[5]), f20 = TV.Create(f[6]), f21 = TV.Create(f[7]), f22 = TV.Create(f[8]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 4 * inRow;
            float* yg = y + (long)gi * 2 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K5S1R4<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        int o3 = 3 % sw * phaseLen + 3 / sw;
        int o4 = 4 % sw * phaseLen + 4 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f03 = TV.Create(f[3]), f04 = TV.Create(f[4]), f10 = TV.Create(f[5]), f11 = TV.Create(f[6]), f12 = TV.Create(f[7]), f13 = TV.Create(f[8]), f14 = TV.Create(f[9]), f20 = TV.Create(f[10]), f21 = TV.Create(f[11]), f22 = TV.Create(f[12]), f23 = TV.Create(f[13]), f24 = TV.Create(f[14]), f30 = TV.Create(f[15]), f31 = TV.Create(f[16]), f32 = TV.Create(f[17]), f33 = TV.Create(f[18]), f34 = TV.Create(f[19]), f40 = TV.Create(f[20]), f41 = TV.Create(f[21]), f42 = TV.Create(f[22]), f43 = TV.Create(f[23]), f44 = TV.Create(f[24]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 4 * inRow;
            float* yg = y + (long)gi * 4 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f03, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f04, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f13, a0);
                    a1 = TV.MultiplyAdd(v, f03, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f14, a0);
                    a1 = TV.MultiplyAdd(v, f04, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    a2 = TV.MultiplyAdd(v, f00, a2);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    a2 = TV.MultiplyAdd(v, f01, a2);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                    a2 = TV.MultiplyAdd(v, f02, a2);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f23, a0);
                    a1 = TV.MultiplyAdd(v, f13, a1);
                    a2 = TV.MultiplyAdd(v, f03, a2);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f24, a0);
                    a1 = TV.MultiplyAdd(v, f14, a1);
                    a2 = TV.MultiplyAdd(v, f04, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f30, a0);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    a2 = TV.MultiplyAdd(v, f10, a2);
                    a3 = TV.MultiplyAdd(v, f00, a3);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f31, a0);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    a2 = TV.MultiplyAdd(v, f11, a2);
                    a3 = TV.MultiplyAdd(v, f01, a3);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f32, a0);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    a2 = TV.MultiplyAdd(v, f12, a2);
                    a3 = TV.MultiplyAdd(v, f02, a3);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f33, a0);
                    a1 = TV.MultiplyAdd(v, f23, a1);
                    a2 = TV.MultiplyAdd(v, f13, a2);
                    a3 = TV.MultiplyAdd(v, f03, a3);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f34, a0);
                    a1 = TV.MultiplyAdd(v, f24, a1);
                    a2 = TV.MultiplyAdd(v, f14, a2);
                    a3 = TV.MultiplyAdd(v, f04, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f40, a0);
                    a1 = TV.MultiplyAdd(v, f30, a1);
                    a2 = TV.MultiplyAdd(v, f20, a2);
                    a3 = TV.MultiplyAdd(v, f10, a3);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f41, a0);
                    a1 = TV.MultiplyAdd(v, f31, a1);
                    a2 = TV.MultiplyAdd(v, f21, a2);
                    a3 = TV.MultiplyAdd(v, f11, a3);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f42, a0);
                    a1 = TV.MultiplyAdd(v, f32, a1);
                    a2 = TV.MultiplyAdd(v, f22, a2);
                    a3 = TV.MultiplyAdd(v, f12, a3);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f43, a0);
                    a1 = TV.MultiplyAdd(v, f33, a1);
                    a2 = TV.MultiplyAdd(v, f23, a2);
                    a3 = TV.MultiplyAdd(v, f13, a3);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f44, a0);
                    a1 = TV.MultiplyAdd(v, f34, a1);
                    a2 = TV.MultiplyAdd(v, f24, a2);
                    a3 = TV.MultiplyAdd(v, f14, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f40, a1);
                    a2 = TV.MultiplyAdd(v, f30, a2);
                    a3 = TV.MultiplyAdd(v, f20, a3);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f41, a1);
                    a2 = TV.MultiplyAdd(v, f31, a2);
                    a3 = TV.MultiplyAdd(v, f21, a3);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f42, a1);
                    a2 = TV.MultiplyAdd(v, f32, a2);
                    a3 = TV.MultiplyAdd(v, f22, a3);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f43, a1);
                    a2 = TV.MultiplyAdd(v, f33, a2);
                    a3 = TV.MultiplyAdd(v, f23, a3);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f44, a1);
                    a2 = TV.MultiplyAdd(v, f34, a2);
                    a3 = TV.MultiplyAdd(v, f24, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f40, a2);
                    a3 = TV.MultiplyAdd(v, f30, a3);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f41, a2);
                    a3 = TV.MultiplyAdd(v, f31, a3);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f42, a2);
                    a3 = TV.MultiplyAdd(v, f32, a3);
                    v = TV.Load(p + o3);
                    a2 = TV.MultiplyAdd(v, f43, a2);
                    a3 = TV.MultiplyAdd(v, f33, a3);
                    v = TV.Load(p + o4);
                    a2 = TV.MultiplyAdd(v, f44, a2);
                    a3 = TV.MultiplyAdd(v, f34, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f40, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f41, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f42, a3);
                    v = TV.Load(p + o3);
                    a3 = TV.MultiplyAdd(v, f43, a3);
                    v = TV.Load(p + o4);
                    a3 = TV.MultiplyAdd(v, f44, a3);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
                TV.StorePartial(a2, yg + 2 * wo + ox, rem);
                TV.StorePartial(a3, yg + 3 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K5S1R2<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        int o3 = 3 % sw * phaseLen + 3 / sw;
        int o4 = 4 % sw * phaseLen + 4 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f03 = TV.Create(f[3]), f04 = TV.Create(f[4]), f10 = TV.Create(f[5]), f11 = TV.Create(f[6]), f12 = TV.Create(f[7]), f13 = TV.Create(f[8]), f14 = TV.Create(f[9]), f20 = TV.Create(f[10]), f21 = TV.Create(f[11]), f22 = TV.Create(f[12]), f23 = TV.Create(f[13]), f24 = TV.Create(f[14]), f30 = TV.Create(f[15]), f31 = TV.Create(f[16]), f32 = TV.Create(f[17]), f33 = TV.Create(f[18]), f34 = TV.Create(f[19]), f40 = TV.Create(f[20]), f41 = TV.Create(f[21]), f42 = TV.Create(f[22]), f43 = TV.Create(f[23]), f44 = TV.Create(f[24]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 2 * inRow;
            float* yg = y + (long)gi * 2 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f03, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f04, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f13, a0);
                    a1 = TV.MultiplyAdd(v, f03, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f14, a0);
                    a1 = TV.MultiplyAdd(v, f04, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f23, a0);
                    a1 = TV.MultiplyAdd(v, f13, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f24, a0);
                    a1 = TV.MultiplyAdd(v, f14, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f30, a0);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f31, a0);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f32, a0);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f33, a0);
                    a1 = TV.MultiplyAdd(v, f23, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f34, a0);
                    a1 = TV.MultiplyAdd(v, f24, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f40, a0);
                    a1 = TV.MultiplyAdd(v, f30, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f41, a0);
                    a1 = TV.MultiplyAdd(v, f31, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f42, a0);
                    a1 = TV.MultiplyAdd(v, f32, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f43, a0);
                    a1 = TV.MultiplyAdd(v, f33, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f44, a0);
                    a1 = TV.MultiplyAdd(v, f34, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f40, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f41, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f42, a1);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f43, a1);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f44, a1);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K5S2R4<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        int o3 = 3 % sw * phaseLen + 3 / sw;
        int o4 = 4 % sw * phaseLen + 4 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f03 = TV.Create(f[3]), f04 = TV.Create(f[4]), f10 = TV.Create(f[5]), f11 = TV.Create(f[6]), f12 = TV.Create(f[7]), f13 = TV.Create(f[8]), f14 = TV.Create(f[9]), f20 = TV.Create(f[10]), f21 = TV.Create(f[11]), f22 = TV.Create(f[12]), f23 = TV.Create(f[13]), f24 = TV.Create(f[14]), f30 = TV.Create(f[15]), f31 = TV.Create(f[16]), f32 = TV.Create(f[17]), f33 = TV.Create(f[18]), f34 = TV.Create(f[19]), f40 = TV.Create(f[20]), f41 = TV.Create(f[21]), f42 = TV.Create(f[22]), f43 = TV.Create(f[23]), f44 = TV.Create(f[24]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 8 * inRow;
            float* yg = y + (long)gi * 4 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f03, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f04, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f13, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f14, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f23, a0);
                    a1 = TV.MultiplyAdd(v, f03, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f24, a0);
                    a1 = TV.MultiplyAdd(v, f04, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f30, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f31, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f32, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f33, a0);
                    a1 = TV.MultiplyAdd(v, f13, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f34, a0);
                    a1 = TV.MultiplyAdd(v, f14, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f40, a0);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    a2 = TV.MultiplyAdd(v, f00, a2);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f41, a0);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    a2 = TV.MultiplyAdd(v, f01, a2);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f42, a0);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    a2 = TV.MultiplyAdd(v, f02, a2);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f43, a0);
                    a1 = TV.MultiplyAdd(v, f23, a1);
                    a2 = TV.MultiplyAdd(v, f03, a2);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f44, a0);
                    a1 = TV.MultiplyAdd(v, f24, a1);
                    a2 = TV.MultiplyAdd(v, f04, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f30, a1);
                    a2 = TV.MultiplyAdd(v, f10, a2);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f31, a1);
                    a2 = TV.MultiplyAdd(v, f11, a2);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f32, a1);
                    a2 = TV.MultiplyAdd(v, f12, a2);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f33, a1);
                    a2 = TV.MultiplyAdd(v, f13, a2);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f34, a1);
                    a2 = TV.MultiplyAdd(v, f14, a2);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f40, a1);
                    a2 = TV.MultiplyAdd(v, f20, a2);
                    a3 = TV.MultiplyAdd(v, f00, a3);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f41, a1);
                    a2 = TV.MultiplyAdd(v, f21, a2);
                    a3 = TV.MultiplyAdd(v, f01, a3);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f42, a1);
                    a2 = TV.MultiplyAdd(v, f22, a2);
                    a3 = TV.MultiplyAdd(v, f02, a3);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f43, a1);
                    a2 = TV.MultiplyAdd(v, f23, a2);
                    a3 = TV.MultiplyAdd(v, f03, a3);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f44, a1);
                    a2 = TV.MultiplyAdd(v, f24, a2);
                    a3 = TV.MultiplyAdd(v, f04, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f30, a2);
                    a3 = TV.MultiplyAdd(v, f10, a3);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f31, a2);
                    a3 = TV.MultiplyAdd(v, f11, a3);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f32, a2);
                    a3 = TV.MultiplyAdd(v, f12, a3);
                    v = TV.Load(p + o3);
                    a2 = TV.MultiplyAdd(v, f33, a2);
                    a3 = TV.MultiplyAdd(v, f13, a3);
                    v = TV.Load(p + o4);
                    a2 = TV.MultiplyAdd(v, f34, a2);
                    a3 = TV.MultiplyAdd(v, f14, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a2 = TV.MultiplyAdd(v, f40, a2);
                    a3 = TV.MultiplyAdd(v, f20, a3);
                    v = TV.Load(p + o1);
                    a2 = TV.MultiplyAdd(v, f41, a2);
                    a3 = TV.MultiplyAdd(v, f21, a3);
                    v = TV.Load(p + o2);
                    a2 = TV.MultiplyAdd(v, f42, a2);
                    a3 = TV.MultiplyAdd(v, f22, a3);
                    v = TV.Load(p + o3);
                    a2 = TV.MultiplyAdd(v, f43, a2);
                    a3 = TV.MultiplyAdd(v, f23, a3);
                    v = TV.Load(p + o4);
                    a2 = TV.MultiplyAdd(v, f44, a2);
                    a3 = TV.MultiplyAdd(v, f24, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f30, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f31, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f32, a3);
                    v = TV.Load(p + o3);
                    a3 = TV.MultiplyAdd(v, f33, a3);
                    v = TV.Load(p + o4);
                    a3 = TV.MultiplyAdd(v, f34, a3);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a3 = TV.MultiplyAdd(v, f40, a3);
                    v = TV.Load(p + o1);
                    a3 = TV.MultiplyAdd(v, f41, a3);
                    v = TV.Load(p + o2);
                    a3 = TV.MultiplyAdd(v, f42, a3);
                    v = TV.Load(p + o3);
                    a3 = TV.MultiplyAdd(v, f43, a3);
                    v = TV.Load(p + o4);
                    a3 = TV.MultiplyAdd(v, f44, a3);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
                TV.StorePartial(a2, yg + 2 * wo + ox, rem);
                TV.StorePartial(a3, yg + 3 * wo + ox, rem);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void K5S2R2<TV>(float* buf, int phaseLen, int sw, float* f, float* y, int groups, int wo)
        where TV : struct, IVec<TV, float>
    {
        long inRow = (long)sw * phaseLen;
        int o1 = 1 % sw * phaseLen + 1 / sw;
        int o2 = 2 % sw * phaseLen + 2 / sw;
        int o3 = 3 % sw * phaseLen + 3 / sw;
        int o4 = 4 % sw * phaseLen + 4 / sw;
        TV f00 = TV.Create(f[0]), f01 = TV.Create(f[1]), f02 = TV.Create(f[2]), f03 = TV.Create(f[3]), f04 = TV.Create(f[4]), f10 = TV.Create(f[5]), f11 = TV.Create(f[6]), f12 = TV.Create(f[7]), f13 = TV.Create(f[8]), f14 = TV.Create(f[9]), f20 = TV.Create(f[10]), f21 = TV.Create(f[11]), f22 = TV.Create(f[12]), f23 = TV.Create(f[13]), f24 = TV.Create(f[14]), f30 = TV.Create(f[15]), f31 = TV.Create(f[16]), f32 = TV.Create(f[17]), f33 = TV.Create(f[18]), f34 = TV.Create(f[19]), f40 = TV.Create(f[20]), f41 = TV.Create(f[21]), f42 = TV.Create(f[22]), f43 = TV.Create(f[23]), f44 = TV.Create(f[24]);
        for (int gi = 0; gi < groups; gi++)
        {
            float* r = buf + gi * 4 * inRow;
            float* yg = y + (long)gi * 2 * wo;
            for (int ox = 0; ox < wo; ox += TV.Count)
            {
                TV a0 = TV.Zero, a1 = TV.Zero;
                float* p = r + ox;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f00, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f01, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f02, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f03, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f04, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f10, a0);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f11, a0);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f12, a0);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f13, a0);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f14, a0);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f20, a0);
                    a1 = TV.MultiplyAdd(v, f00, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f21, a0);
                    a1 = TV.MultiplyAdd(v, f01, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f22, a0);
                    a1 = TV.MultiplyAdd(v, f02, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f23, a0);
                    a1 = TV.MultiplyAdd(v, f03, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f24, a0);
                    a1 = TV.MultiplyAdd(v, f04, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f30, a0);
                    a1 = TV.MultiplyAdd(v, f10, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f31, a0);
                    a1 = TV.MultiplyAdd(v, f11, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f32, a0);
                    a1 = TV.MultiplyAdd(v, f12, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f33, a0);
                    a1 = TV.MultiplyAdd(v, f13, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f34, a0);
                    a1 = TV.MultiplyAdd(v, f14, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a0 = TV.MultiplyAdd(v, f40, a0);
                    a1 = TV.MultiplyAdd(v, f20, a1);
                    v = TV.Load(p + o1);
                    a0 = TV.MultiplyAdd(v, f41, a0);
                    a1 = TV.MultiplyAdd(v, f21, a1);
                    v = TV.Load(p + o2);
                    a0 = TV.MultiplyAdd(v, f42, a0);
                    a1 = TV.MultiplyAdd(v, f22, a1);
                    v = TV.Load(p + o3);
                    a0 = TV.MultiplyAdd(v, f43, a0);
                    a1 = TV.MultiplyAdd(v, f23, a1);
                    v = TV.Load(p + o4);
                    a0 = TV.MultiplyAdd(v, f44, a0);
                    a1 = TV.MultiplyAdd(v, f24, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f30, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f31, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f32, a1);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f33, a1);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f34, a1);
                }
                p += inRow;
                {
                    TV v = TV.Load(p);
                    a1 = TV.MultiplyAdd(v, f40, a1);
                    v = TV.Load(p + o1);
                    a1 = TV.MultiplyAdd(v, f41, a1);
                    v = TV.Load(p + o2);
                    a1 = TV.MultiplyAdd(v, f42, a1);
                    v = TV.Load(p + o3);
                    a1 = TV.MultiplyAdd(v, f43, a1);
                    v = TV.Load(p + o4);
                    a1 = TV.MultiplyAdd(v, f44, a1);
                }
                int rem = wo - ox;
                TV.StorePartial(a0, yg + 0 + ox, rem);
                TV.StorePartial(a1, yg + 1 * wo + ox, rem);
            }
        }
    }
}
