namespace PaddleNet.Tests.Support;

/// <summary>
/// Every numeric tolerance the tests use, with where it comes from. Elementwise checks are
/// numpy.allclose-style: |ours − ref| ≤ abs + rel·|ref|.
/// </summary>
internal static class Tolerances
{
    /// <summary>
    /// Fallback when a manifest names none: 1e-4 relative, 1e-5 absolute. Real Paddle's own
    /// optimized path (ir_optim + oneDNN) drifts from its reference path by up to 4.6e-5 abs /
    /// 1.9e-4 rel on the OCR detector and ≤ 2.9e-6 on the classifiers (models/REFERENCE.md,
    /// "Plain vs optimized"), so these bounds sit at Paddle's own run-to-run disagreement.
    /// </summary>
    public const double DefaultAbs = 1e-5;
    public const double DefaultRel = 1e-4;

    /// <summary>NMS boxes are matched as sets: same class, IoU at least this (issue 4's parity rule).</summary>
    public const double NmsMinIoU = 0.99;
}
