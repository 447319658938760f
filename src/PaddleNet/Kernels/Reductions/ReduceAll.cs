using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Reductions;

/// <summary>
/// Paddle <c>reduce_all</c> (PIR <c>all</c>): Out = AND of X over <c>dim</c> (see <see cref="BoolReduceKernel{TOp}"/>).
/// X bool (any non-zero byte is true); Out bool; an empty reduction is true.
/// </summary>
internal sealed class ReduceAllKernel : BoolReduceKernel<AllB>
{
    private ReduceAllKernel(KernelBuilder b) : base(b, "reduce_all") { }

    public static Kernel Create(KernelBuilder b) => new ReduceAllKernel(b);
}

/// <summary>Logical AND over bytes (non-zero is true).</summary>
internal struct AllB : IReducer<byte>
{
    public static byte Identity => 1;
    public static byte Combine(byte a, byte x) => (byte)(a & (x != 0 ? 1 : 0));
    public static byte Finish(byte a, long n) => a;
}
