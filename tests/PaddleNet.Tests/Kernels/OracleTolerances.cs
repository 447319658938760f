namespace PaddleNet.Tests.Kernels;

/// <summary>
/// Tolerances of the issue-13 op tests, which compare a kernel with Paddle's numpy oracle (ported from
/// test/legacy_test/test_&lt;op&gt;_op.py and evaluated in double here).
/// </summary>
internal static class OracleTolerances
{
    /// <summary>
    /// float32 kernel vs a float64 oracle: Paddle's OpTest.check_output compares with atol 1e-5 by default; a relative
    /// term of 1e-5 (~80 ulp) covers values of magnitude &gt; 1 after a few roundings (sums, interpolation weights).
    /// </summary>
    public const double Abs = 1e-5;

    public const double Rel = 1e-5;

    /// <summary>Transcendental unary ops: MathF vs double libm, at most a few float32 ulp.</summary>
    public const double UnaryRel = 1e-6;

    /// <summary>
    /// A whole network run on a batch vs on each image alone (the R-CNN's LoD routing test): the convolutions may block
    /// a batch differently, so float sums reorder through ~100 layers; boxes are pixel coordinates up to a few hundred.
    /// </summary>
    public const double BatchAbs = 1e-3;

    public const double BatchRel = 1e-4;
}
