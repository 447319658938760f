using PaddleNet.Runtime;
using System.Runtime.CompilerServices;

namespace PaddleNet.Kernels.Nn;

/// <summary>Runs one packed SGEMM C[M,N] = A·B on the intra-op pool; operands not pre-packed are packed into the calling thread's scratch.</summary>
internal static unsafe class GemmDriver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(IntraOpPool pool, RunScratch scratch, int m, int n, int k, float* a, long ars, long acs, float* packedB, float* b, long brs, long bcs, float* c, long ldc)
    {
        if (m == 0 || n == 0) return;
        if (m == 1)
        {
            MultiplyRow(pool, scratch, n, k, a, acs, packedB, b, brs, bcs, c);
            return;
        }
        float* pa = scratch.A(Sgemm.PackedASize(m, k));
        Sgemm.PackA(a, ars, acs, m, k, pa);
        float* pb = packedB;
        if (pb == null)
        {
            pb = scratch.B(Sgemm.PackedBSize(k, n));
            Sgemm.PackB(b, brs, bcs, k, n, pb);
        }
        int rows = Sgemm.RowBlocks(m), panels = Sgemm.Panels(n);
        bool overPanels = panels >= rows;
        long unit = (long)Math.Max(k, 1) * Sgemm.MR * Sgemm.NR * (overPanels ? rows : panels);
        int minChunk = (int)Math.Clamp(65536 / unit, 1, int.MaxValue);
        var body = new Body { M = m, N = n, K = k, A = pa, B = pb, C = c, Ldc = ldc, OverPanels = overPanels, Rows = rows, PanelCount = panels };
        pool.For(overPanels ? panels : rows, body, minChunk);
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>
    /// M = 1: the single-row kernel (<see cref="Gemv"/>) over B's panels, bit-identical to the 6-row path's row.
    /// Parallel over panel groups once each thread's share streams enough weights to pay for the fork.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyRow(IntraOpPool pool, RunScratch scratch, int n, int k, float* a, long acs, float* packedB, float* b, long brs, long bcs, float* c)
    {
        float* row = a;
        if (acs != 1)
        {
            row = scratch.A(Math.Max(k, 1));
            for (int i = 0; i < k; i++) row[i] = a[i * acs];
        }
        float* pb = packedB;
        if (pb == null)
        {
            pb = scratch.B(Sgemm.PackedBSize(k, n));
            Sgemm.PackB(b, brs, bcs, k, n, pb);
        }
        RunRow(pool, n, k, row, pb, c);
        GC.KeepAlive(scratch); // its buffers are in use until here (RunScratch)
    }

    /// <summary>
    /// c[N] = a[K]·B over packed B on the pool, split over <see cref="Gemv"/>'s panel groups; a conv's epilogue (column j
    /// is channel j) runs on each chunk while it is hot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRow(IntraOpPool pool, int n, int k, float* a, float* packedB, float* c, in ConvEpilogue ep = default)
    {
        int groups = Gemv.Groups(n);
        long unit = (long)Math.Max(k, 1) * Sgemm.NR * Gemv.GroupPanels; // floats of B per group
        var body = new RowBody { N = n, K = k, A = a, B = packedB, C = c, Ep = ep };
        pool.For(groups, body, (int)Math.Clamp(RowMinFloats / unit, 1, int.MaxValue));
    }

    /// <summary>Least B floats (64 KB) per parallel chunk of a row product: below it the fork costs more than the split saves.</summary>
    internal const long RowMinFloats = 16384;

    private struct RowBody : IParallelBody
    {
        public int N, K;
        public float* A, B, C;
        public ConvEpilogue Ep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            Gemv.Compute(N, K, A, B, C, start, end);
            if (!Ep.Active) return;
            int per = Gemv.GroupPanels * Sgemm.NR;
            int j0 = start * per, j1 = Math.Min(end * per, N);
            if (j1 > j0) Ep.ApplyColumns(C + j0, j1 - j0, j0);
        }
    }

    private struct Body : IParallelBody
    {
        public int M, N, K, Rows, PanelCount;
        public float* A, B, C;
        public long Ldc;
        public bool OverPanels;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            if (OverPanels) Sgemm.Compute(M, N, K, A, B, C, Ldc, 0, Rows, start, end, false);
            else Sgemm.Compute(M, N, K, A, B, C, Ldc, start, end, 0, PanelCount, false);
        }
    }
}

/// <summary>
/// Shared batched matrix product of matmul_v2 / matmul / bmm: numpy matmul semantics (1-D X → [1,K]
/// squeezed after, 1-D Y → [K,1] squeezed after, batch dims broadcast, transposes swap the last two
/// dims of 2-D+ operands), out = alpha·X'·Y'. A constant Y is packed once at load.
/// </summary>
internal sealed unsafe class MatMulCore
{
    private readonly bool _tx, _ty, _v1;
    private readonly float _alpha;
    private readonly float[]? _packedY;
    private readonly int[]? _packedShape;

    public MatMulCore(KernelBuilder b, int yId, bool transX, bool transY, float alpha, bool v1)
    {
        _tx = transX;
        _ty = transY;
        _alpha = alpha;
        _v1 = v1;
        if (b.Constant(yId) is { } y && y.DataType == DataType.Float32 && y.Shape.Length >= 1)
        {
            _packedShape = y.Shape.ToArray();
            Geometry(_packedShape, _ty, out int k, out int n, out long brs, out long bcs);
            int batches = 1;
            for (int i = 0; i < _packedShape.Length - 2; i++) batches *= _packedShape[i];
            int per = Sgemm.PackedBSize(k, n);
            _packedY = GC.AllocateUninitializedArray<float>(Math.Max(1, per * batches), pinned: true);
            fixed (float* src = y.AsSpan<float>())
            fixed (float* dst = _packedY)
            {
                for (int i = 0; i < batches; i++) Sgemm.PackB(src + (long)i * k * n, brs, bcs, k, n, dst + (long)i * per);
            }
        }
    }

    private static void Geometry(ReadOnlySpan<int> ys, bool ty, out int k, out int n, out long brs, out long bcs)
    {
        if (ys.Length == 1)
        {
            k = ys[0]; n = 1; brs = 1; bcs = 0;
            return;
        }
        int r0 = ys[^2], r1 = ys[^1];
        if (ty) { k = r1; n = r0; brs = 1; bcs = r1; }
        else { k = r0; n = r1; brs = r1; bcs = 1; }
    }

    /// <summary>2·K per output element, K the contracted extent of X' (for <c>bench --profile</c>'s GFLOP/s).</summary>
    public double Flops(RunContext ctx, int xId, int outId)
    {
        if (!ctx.IsDefined(xId) || !ctx.IsDefined(outId)) return 0;
        var xs = ctx.Shape(xId);
        if (xs.Length == 0) return 0;
        long k = xs.Length == 1 ? xs[0] : _tx ? xs[^2] : xs[^1];
        return 2.0 * k * ctx.ElementCount(outId);
    }

    public void Execute(RunContext ctx, int xId, int yId, int outId, string op)
    {
        var xs = ctx.Shape(xId);
        var ys = ctx.Shape(yId);
        if (xs.Length == 0 || ys.Length == 0) throw new ShapeMismatchException($"{op} operands", "rank >= 1", $"ranks {xs.Length} and {ys.Length}");
        bool xv = xs.Length == 1, yv = ys.Length == 1;
        int m, kx;
        long ars, acs;
        if (xv) { m = 1; kx = xs[0]; ars = 0; acs = 1; }
        else if (_tx) { m = xs[^1]; kx = xs[^2]; ars = 1; acs = m; }
        else { m = xs[^2]; kx = xs[^1]; ars = kx; acs = 1; }
        Geometry(ys, _ty, out int ky, out int n, out long brs, out long bcs);
        if (kx != ky) throw new ShapeMismatchException($"{op} inner dimensions", $"X's {kx} = Y's", $"{ky}");
        int xb = xv ? 0 : xs.Length - 2, yb = yv ? 0 : ys.Length - 2, ob = Math.Max(xb, yb);
        Span<int> shape = stackalloc int[RunContext.MaxRank];
        for (int i = 0; i < ob; i++)
        {
            int dx = i - (ob - xb) >= 0 ? xs[i - (ob - xb)] : 1;
            int dy = i - (ob - yb) >= 0 ? ys[i - (ob - yb)] : 1;
            if (dx != dy && dx != 1 && dy != 1) throw new ShapeMismatchException($"{op} batch dimensions", "broadcastable", $"{dx} vs {dy}");
            shape[i] = dx == 1 ? dy : dx;
        }
        int rank = ob;
        if (!xv) shape[rank++] = m;
        if (!yv) shape[rank++] = n;
        if (rank == 0 && _v1) shape[rank++] = 1;
        if (rank + 0 > RunContext.MaxRank) throw new ShapeMismatchException(op, $"rank <= {RunContext.MaxRank}", $"{rank}");
        var outSpan = ctx.Allocate<float>(outId, shape[..rank]);
        int batches = 1;
        for (int i = 0; i < ob; i++) batches *= shape[i];
        var x = ctx.Read<float>(xId);
        var y = ctx.Read<float>(yId);
        bool packed = _packedY is not null && ys.SequenceEqual(_packedShape);
        int per = Sgemm.PackedBSize(ky, n);
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pyp = _packedY)
        fixed (float* po = outSpan)
        {
            if (yb == 0 && !_tx && !xv)
            {
                // Y is one matrix: fold X's batch into M.
                GemmDriver.Multiply(ctx.Pool, ctx.Scratch, m * batches, n, kx, px, kx, 1, packed ? pyp : null, py, brs, bcs, po, n);
            }
            else
            {
                Span<int> idx = stackalloc int[RunContext.MaxRank];
                idx.Clear();
                for (int bi = 0; bi < batches; bi++)
                {
                    long xo = 0, yo = 0;
                    for (int i = 0; i < ob; i++)
                    {
                        int ix = i - (ob - xb), iy = i - (ob - yb);
                        if (ix >= 0) xo = xo * xs[ix] + (xs[ix] == 1 ? 0 : idx[i]);
                        if (iy >= 0) yo = yo * ys[iy] + (ys[iy] == 1 ? 0 : idx[i]);
                    }
                    GemmDriver.Multiply(ctx.Pool, ctx.Scratch, m, n, kx, px + xo * m * kx, ars, acs, packed ? pyp + yo * per : null, py + yo * ky * n, brs, bcs, po + (long)bi * m * n, n);
                    for (int i = ob - 1; i >= 0; i--)
                    {
                        if (++idx[i] < shape[i]) break;
                        idx[i] = 0;
                    }
                }
            }
        }
        if (_alpha != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(outSpan, _alpha, outSpan);
    }
}
