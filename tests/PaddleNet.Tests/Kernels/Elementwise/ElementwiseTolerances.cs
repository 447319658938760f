namespace PaddleNet.Tests.Kernels.Elementwise;

/// <summary>Tolerances of the elementwise-family differential tests.</summary>
internal static class ElementwiseTolerances
{
    /// <summary>
    /// The broadcasting fast path runs exactly the scalar operation (or a Vector256 form that is
    /// bit-identical: IEEE add/sub/mul/div and compare-select) on exactly the same operand pairs as
    /// the reference, so results must be bit-equal.
    /// </summary>
    public const double Exact = 0;
}
