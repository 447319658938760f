using System.Runtime.CompilerServices;
using PaddleNet.Kernels.Activations;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Scalar multiply-then-add steps that <see cref="Runtime.GraphPasses"/> folds into a conv epilogue: PP-LCNetV3's
/// LearnableAffineBlock (x·scale + bias with [1]-shaped parameters) written as <c>elementwise_mul</c> then
/// <c>elementwise_add</c> before the conv's activation and again after it. Each step is the separate op's single
/// rounding (a multiply, then an add, never fused into an FMA); a missing multiply is ·1 and a missing add is + (−0),
/// both exact identities for every float (−0 + −0 = −0), so fusing changes no number.
/// </summary>
internal readonly unsafe struct ScalarAffine
{
    public readonly float PreScale, PreShift, PostScale, PostShift;

    /// <summary>False for <c>default</c>: the epilogue skips this stage entirely.</summary>
    public readonly bool Active;

    public ScalarAffine(float? preScale, float? preShift, float? postScale, float? postShift)
    {
        PreScale = preScale ?? 1f;
        PreShift = preShift ?? -0f;
        PostScale = postScale ?? 1f;
        PostShift = postShift ?? -0f;
        Active = preScale.HasValue || preShift.HasValue || postScale.HasValue || postShift.HasValue;
    }

    /// <summary>Scalar reference: y = (act((y + bias)·s1 + t1))·s2 + t2, bias only when <paramref name="hasBias"/>.</summary>
    public float Invoke<TOp>(float v, bool hasBias, float bias, in TOp op)
        where TOp : struct, IUnaryOp
    {
        if (hasBias) v += bias;
        return op.Invoke(v * PreScale + PreShift) * PostScale + PostShift;
    }

    internal static void RunReference<TOp>(float* y, int len, bool hasBias, float bias, in ScalarAffine a, TOp op)
        where TOp : struct, IUnaryOp
    {
        for (int i = 0; i < len; i++) y[i] = a.Invoke(y[i], hasBias, bias, op);
    }

    /// <summary>The same as <see cref="RunReference{TOp}"/>, <typeparamref name="TV"/> lanes at a time, then the reference on the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Run<TOp, TV>(float* y, int len, bool hasBias, float bias, in ScalarAffine a, TOp op)
        where TOp : struct, IVectorUnaryOp
        where TV : struct, IVec<TV, float>
    {
        int i = 0;
        TV vb = TV.Create(bias), s1 = TV.Create(a.PreScale), t1 = TV.Create(a.PreShift), s2 = TV.Create(a.PostScale), t2 = TV.Create(a.PostShift);
        if (hasBias)
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke((TV.Load(y + i) + vb) * s1 + t1) * s2 + t2, y + i);
        }
        else
        {
            for (; i <= len - TV.Count; i += TV.Count) TV.Store(op.Invoke(TV.Load(y + i) * s1 + t1) * s2 + t2, y + i);
        }
        RunReference(y + i, len - i, hasBias, bias, a, op);
    }
}
