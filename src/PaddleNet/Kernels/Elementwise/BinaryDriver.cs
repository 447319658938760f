using System.Runtime.CompilerServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>One elementwise binary operation on <typeparamref name="TIn"/> giving <typeparamref name="TOut"/>.</summary>
internal interface IBinaryOp<TIn, TOut>
    where TIn : unmanaged
    where TOut : unmanaged
{
    static abstract TOut Invoke(TIn x, TIn y);

    /// <summary>True when the vector form is implemented and bit-identical to the scalar form (needs TOut the size of TIn).</summary>
    static virtual bool Vectorizable => false;

    /// <summary>The vector form, written once over <see cref="IVec{TSelf, T}"/> (lanes of TIn in, lanes of TOut out).</summary>
    static virtual TV Invoke<TV>(TV x, TV y)
        where TV : struct, IVec<TV, TIn> => throw new NotSupportedException();
}

/// <summary>The slots and attribute every legacy elementwise binary op shares (X, Y → Out; axis).</summary>
internal readonly record struct BinaryOperands(int X, int Y, int Out, int Axis, string OpType)
{
    public static BinaryOperands From(KernelBuilder b) =>
        new(b.RequiredInput("X"), b.RequiredInput("Y"), b.RequiredOutput("Out"), b.Attrs.GetInt("axis", -1), b.Op.Type);

    public ShapeMismatchException BadType(RunContext ctx, string expected) =>
        new($"{OpType} input X", expected, $"{ctx.Type(X).Name()} (Y {ctx.Type(Y).Name()})", OpType);
}

/// <summary>
/// The one broadcasting driver of the elementwise family: collapses the broadcast
/// (<see cref="BroadcastPlan"/>), then walks output rows with a contiguous inner loop that is
/// vector × vector, vector × scalar or scalar × vector (Vector256 when the op allows it), split
/// over the intra-op pool by contiguous output ranges for large outputs.
/// </summary>
internal static unsafe class BinaryDriver
{
    /// <summary>Outputs smaller than this run on the calling thread.</summary>
    public const int ParallelThreshold = 1 << 15;

    /// <summary>Arithmetic ops (output type = input type) over float32, float64, int32, int64.</summary>
    public static void Arithmetic<TOp>(RunContext ctx, in BinaryOperands p)
        where TOp : IBinaryOp<float, float>, IBinaryOp<double, double>, IBinaryOp<int, int>, IBinaryOp<long, long>
    {
        var t = ctx.Type(p.X);
        if (ctx.Type(p.Y) != t) throw p.BadType(ctx, "X and Y of the same type");
        switch (t)
        {
            case DataType.Float32: Run<TOp, float, float>(ctx, p); break;
            case DataType.Float64: Run<TOp, double, double>(ctx, p); break;
            case DataType.Int32: Run<TOp, int, int>(ctx, p); break;
            case DataType.Int64: Run<TOp, long, long>(ctx, p); break;
            default: throw p.BadType(ctx, "float32, float64, int32 or int64");
        }
    }

    /// <summary>Comparison ops (bool output) over float32, float64, int32, int64 and bool.</summary>
    public static void Compare<TOp>(RunContext ctx, in BinaryOperands p)
        where TOp : IBinaryOp<float, bool>, IBinaryOp<double, bool>, IBinaryOp<int, bool>, IBinaryOp<long, bool>, IBinaryOp<bool, bool>
    {
        var t = ctx.Type(p.X);
        if (ctx.Type(p.Y) != t) throw p.BadType(ctx, "X and Y of the same type");
        switch (t)
        {
            case DataType.Float32: Run<TOp, float, bool>(ctx, p); break;
            case DataType.Float64: Run<TOp, double, bool>(ctx, p); break;
            case DataType.Int32: Run<TOp, int, bool>(ctx, p); break;
            case DataType.Int64: Run<TOp, long, bool>(ctx, p); break;
            case DataType.Bool: Run<TOp, bool, bool>(ctx, p); break;
            default: throw p.BadType(ctx, "float32, float64, int32, int64 or bool");
        }
    }

    /// <summary>Computes Out = op(X, Y) with legacy broadcasting.</summary>
    public static void Run<TOp, TIn, TOut>(RunContext ctx, in BinaryOperands p)
        where TOp : IBinaryOp<TIn, TOut>
        where TIn : unmanaged
        where TOut : unmanaged
    {
        Span<int> xa = stackalloc int[RunContext.MaxRank];
        Span<int> ya = stackalloc int[RunContext.MaxRank];
        Span<int> os = stackalloc int[RunContext.MaxRank];
        Broadcast.Align(ctx.Shape(p.X), ctx.Shape(p.Y), p.Axis, xa, ya, os, out int rank, p.OpType);
        var x = ctx.Read<TIn>(p.X);
        var y = ctx.Read<TIn>(p.Y);
        var o = ctx.Allocate<TOut>(p.Out, os[..rank]);
        Compute<TOp, TIn, TOut>(x, xa[..rank], y, ya[..rank], o, os[..rank], ctx.Pool);
    }

    /// <summary>The fast path on aligned shapes (each of the output rank).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<TOp, TIn, TOut>(ReadOnlySpan<TIn> x, ReadOnlySpan<int> xa, ReadOnlySpan<TIn> y, ReadOnlySpan<int> ya, Span<TOut> o, ReadOnlySpan<int> outShape, IntraOpPool? pool)
        where TOp : IBinaryOp<TIn, TOut>
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var plan = BroadcastPlan.Create(xa, ya, outShape);
        if (plan.Count == 0) return;
        fixed (TIn* px = x)
        fixed (TIn* py = y)
        fixed (TOut* po = o)
        {
            var body = new Body<TOp, TIn, TOut> { Plan = plan, X = px, Y = py, O = po };
            if (pool is not null && plan.Count >= ParallelThreshold && plan.Count <= int.MaxValue)
            {
                pool.For((int)plan.Count, body, ParallelThreshold / 2);
            }
            else
            {
                body.Run(0, (int)plan.Count);
            }
        }
    }

    /// <summary>
    /// Scalar reference: every output element computed independently from its multi-index with the
    /// legacy alignment. Slow, obviously right; the fast path is tested against it.
    /// </summary>
    public static void Reference<TOp, TIn, TOut>(ReadOnlySpan<TIn> x, ReadOnlySpan<int> xs, ReadOnlySpan<TIn> y, ReadOnlySpan<int> ys, int axis, Span<TOut> o, out int[] outShape)
        where TOp : IBinaryOp<TIn, TOut>
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var xa = new int[RunContext.MaxRank];
        var ya = new int[RunContext.MaxRank];
        var os = new int[RunContext.MaxRank];
        Broadcast.Align(xs, ys, axis, xa, ya, os, out int rank, "reference");
        outShape = os[..rank];
        long count = 1;
        foreach (var d in outShape) count *= d;
        var idx = new int[rank];
        for (long i = 0; i < count; i++)
        {
            long rem = i;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d] = (int)(rem % outShape[d]);
                rem /= outShape[d];
            }
            long xi = 0, yi = 0;
            for (int d = 0; d < rank; d++)
            {
                xi = xi * xa[d] + (xa[d] == 1 ? 0 : idx[d]);
                yi = yi * ya[d] + (ya[d] == 1 ? 0 : idx[d]);
            }
            o[(int)i] = TOp.Invoke(x[(int)xi], y[(int)yi]);
        }
    }

    internal struct Body<TOp, TIn, TOut> : IParallelBody
        where TOp : IBinaryOp<TIn, TOut>
        where TIn : unmanaged
        where TOut : unmanaged
    {
        public BroadcastPlan Plan;
        public TIn* X;
        public TIn* Y;
        public TOut* O;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            long inner = Plan.Inner;
            bool xs = Plan.XScalarInner, ys = Plan.YScalarInner;
            long i = start;
            while (i < end)
            {
                long row = i / inner;
                long col = i - row * inner;
                int len = (int)Math.Min(inner - col, end - i);
                Plan.RowOffsets(row, out long xo, out long yo);
                TIn* x = X + xo + (xs ? 0 : col);
                TIn* y = Y + yo + (ys ? 0 : col);
                TOut* o = O + i;
                if (xs) InnerSV(*x, y, o, len);
                else if (ys) InnerVS(x, *y, o, len);
                else InnerVV(x, y, o, len);
                i += len;
            }
        }

        private static bool UseVectors =>
            TOp.Vectorizable && Unsafe.SizeOf<TIn>() == Unsafe.SizeOf<TOut>();

        // One body per inner loop, specialised per width: the widest accelerated, or the scalar loop.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void InnerVV(TIn* x, TIn* y, TOut* o, int n)
        {
            int i = 0;
            if (UseVectors)
            {
                if (Vec512<TIn>.IsAccelerated) i = VV<Vec512<TIn>>(x, y, o, n);
                else if (Vec256<TIn>.IsAccelerated) i = VV<Vec256<TIn>>(x, y, o, n);
                else if (Vec128<TIn>.IsAccelerated) i = VV<Vec128<TIn>>(x, y, o, n);
            }
            for (; i < n; i++) o[i] = TOp.Invoke(x[i], y[i]);
        }

        private static void InnerVS(TIn* x, TIn y, TOut* o, int n)
        {
            int i = 0;
            if (UseVectors)
            {
                if (Vec512<TIn>.IsAccelerated) i = VS<Vec512<TIn>>(x, y, o, n);
                else if (Vec256<TIn>.IsAccelerated) i = VS<Vec256<TIn>>(x, y, o, n);
                else if (Vec128<TIn>.IsAccelerated) i = VS<Vec128<TIn>>(x, y, o, n);
            }
            for (; i < n; i++) o[i] = TOp.Invoke(x[i], y);
        }

        private static void InnerSV(TIn x, TIn* y, TOut* o, int n)
        {
            int i = 0;
            if (UseVectors)
            {
                if (Vec512<TIn>.IsAccelerated) i = SV<Vec512<TIn>>(x, y, o, n);
                else if (Vec256<TIn>.IsAccelerated) i = SV<Vec256<TIn>>(x, y, o, n);
                else if (Vec128<TIn>.IsAccelerated) i = SV<Vec128<TIn>>(x, y, o, n);
            }
            for (; i < n; i++) o[i] = TOp.Invoke(x, y[i]);
        }

        /// <summary>Vector × vector lanes; returns how many elements it did (the caller finishes the tail).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static int VV<TV>(TIn* x, TIn* y, TOut* o, int n)
            where TV : struct, IVec<TV, TIn>
        {
            int i = 0;
            for (; i <= n - TV.Count; i += TV.Count) TV.Store(TOp.Invoke(TV.Load(x + i), TV.Load(y + i)), (TIn*)(o + i));
            return i;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static int VS<TV>(TIn* x, TIn y, TOut* o, int n)
            where TV : struct, IVec<TV, TIn>
        {
            int i = 0;
            var vy = TV.Create(y);
            for (; i <= n - TV.Count; i += TV.Count) TV.Store(TOp.Invoke(TV.Load(x + i), vy), (TIn*)(o + i));
            return i;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static int SV<TV>(TIn x, TIn* y, TOut* o, int n)
            where TV : struct, IVec<TV, TIn>
        {
            int i = 0;
            var vx = TV.Create(x);
            for (; i <= n - TV.Count; i += TV.Count) TV.Store(TOp.Invoke(vx, TV.Load(y + i)), (TIn*)(o + i));
            return i;
        }
    }
}
