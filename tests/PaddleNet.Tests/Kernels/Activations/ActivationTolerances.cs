namespace PaddleNet.Tests.Kernels.Activations;

/// <summary>Tolerances of the activation-family differential tests (|fast − reference| ≤ abs + rel·|reference|).</summary>
internal static class ActivationTolerances
{
    /// <summary>Vector256 forms built from IEEE ops and compare-selects are bit-identical to the scalar form.</summary>
    public const double Exact = 0;

    /// <summary>
    /// TensorPrimitives' vectorised exp/log/sin/cos/tanh/sigmoid are accurate to a few ulp, not
    /// correctly rounded like MathF; 4e-7 relative (~3 ulp) plus a tiny absolute floor for values
    /// near zero (sin/cos/tanh around their roots). Paddle's own parity bound is 1e-5.
    /// </summary>
    public const double TensorPrimitivesRel = 4e-7;

    public const double TensorPrimitivesAbs = 1e-7;
}
