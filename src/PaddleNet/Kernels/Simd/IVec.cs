using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PaddleNet.Kernels;

/// <summary>
/// One SIMD register of <typeparamref name="T"/> lanes, whatever its width: kernels are written once as
/// generic methods over <c>TV : struct, IVec&lt;TV, T&gt;</c> and the JIT compiles one specialised copy per
/// width (<see cref="Vec128{T}"/>, <see cref="Vec256{T}"/>, <see cref="Vec512{T}"/>; value-type generic
/// arguments are never shared), so the body costs what hand-written Vector128/256/512 code costs.
/// <see cref="Simd"/> picks the widest accelerated width at run time; see Kernels/README.md.
/// </summary>
internal unsafe interface IVec<TSelf, T>
    where TSelf : struct, IVec<TSelf, T>
    where T : unmanaged
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>Whether the JIT maps this width to hardware (else it is emulated: never pick it).</summary>
    static abstract bool IsAccelerated { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf One { get; }

    static abstract TSelf Create(T value);

    static abstract TSelf Load(T* p);

    static abstract void Store(TSelf v, T* p);

    /// <summary>Stores lanes [0, <paramref name="n"/>) of <paramref name="v"/> (0 ≤ n ≤ Count), touching no memory after them.</summary>
    static abstract void StorePartial(TSelf v, T* p, int n);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Lane-wise a·b + c, fused where the hardware has FMA (as every width of one machine does alike).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Min(TSelf a, TSelf b);

    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>
    /// Lane-wise a &gt; b ? a : b: equal, signed-zero and NaN lanes give b, exactly as a compare-and-select does
    /// (x86 MAXPS is this rule in one instruction; <see cref="Max"/> is IEEE maximum, which differs on those lanes).
    /// </summary>
    static abstract TSelf GreaterOf(TSelf a, TSelf b);

    /// <summary>Lanes 0, 2, 4, … of the 2·Count lanes <paramref name="lo"/> then <paramref name="hi"/> (32-bit lanes): a stride-2 gather from two loads.</summary>
    static abstract TSelf Evens(TSelf lo, TSelf hi);

    /// <summary>Lanes 1, 3, 5, … of the 2·Count lanes <paramref name="lo"/> then <paramref name="hi"/> (32-bit lanes).</summary>
    static abstract TSelf Odds(TSelf lo, TSelf hi);

    /// <summary>All-ones lanes where a &gt; b.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>Lanes of <paramref name="ifTrue"/> where <paramref name="mask"/> is set, else of <paramref name="ifFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    static abstract TSelf Abs(TSelf a);

    static abstract TSelf Sqrt(TSelf a);

    static abstract TSelf Floor(TSelf a);

    static abstract TSelf Ceiling(TSelf a);

    /// <summary>Sum of the lanes (order unspecified: not for bit-exact reductions).</summary>
    static abstract T Sum(TSelf a);
}

/// <summary>Vector widths the kernels run in, and the widest this process accelerates.</summary>
internal static class Simd
{
    /// <summary>Widest accelerated float width in bits: 512, 256, 128, or 0 (scalar only).</summary>
    public static readonly int BestWidth =
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : Vector128.IsHardwareAccelerated ? 128
        : 0;

    /// <summary>The width to run with an optional cap (tests force each width; <paramref name="maxBits"/> 0 = scalar).</summary>
    public static int Width(int maxBits = 512) =>
        maxBits >= 512 && Vector512.IsHardwareAccelerated ? 512
        : maxBits >= 256 && Vector256.IsHardwareAccelerated ? 256
        : maxBits >= 128 && Vector128.IsHardwareAccelerated ? 128
        : 0;

    /// <summary>Every width this process can run (scalar first), for tests that check each one.</summary>
    public static IEnumerable<int> Widths()
    {
        yield return 0;
        if (Vector128.IsHardwareAccelerated) yield return 128;
        if (Vector256.IsHardwareAccelerated) yield return 256;
        if (Vector512.IsHardwareAccelerated) yield return 512;
    }
}
