using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>lookup_table_v2</c> (PIR <c>embedding</c>) and legacy <c>lookup_table</c>: Ids (int32/int64), W [V, D] →
/// Out, row W[id] per id. v2: Out = Ids.shape + [D]; v1: Ids' last dim must be 1 and is replaced by D. An id equal to
/// <c>padding_idx</c> (−1 = none; a negative value counts from V, as paddle.nn.Embedding normalises it) gives a zero
/// row; any other id outside [0, V) is an error. Any W dtype.
/// </summary>
internal sealed class LookupTableKernel : Kernel
{
    private readonly int _ids, _w, _out;
    private readonly long _padding;
    private readonly bool _v1;

    private LookupTableKernel(KernelBuilder b, bool v1)
    {
        _ids = b.RequiredInput("Ids");
        _w = b.RequiredInput("W");
        _out = b.RequiredOutput("Out");
        _padding = b.Attrs.GetLong("padding_idx", -1);
        _v1 = v1;
    }

    public static Kernel CreateV2(KernelBuilder b) => new LookupTableKernel(b, v1: false);

    public static Kernel CreateV1(KernelBuilder b) => new LookupTableKernel(b, v1: true);

    private string Op => _v1 ? "lookup_table" : "lookup_table_v2";

    public override void Execute(RunContext ctx)
    {
        var ids = ctx.Shape(_ids);
        var w = ctx.Shape(_w);
        if (w.Length != 2) throw new ShapeMismatchException($"{Op} W", "a 2-D table", $"rank {w.Length}", Op);
        long vocab = w[0];
        int dim = w[1];
        Span<int> shape = stackalloc int[RunContext.MaxRank];
        int r;
        if (_v1)
        {
            if (ids.Length == 0 || ids[^1] != 1) throw new ShapeMismatchException($"{Op} Ids", "a last dim of 1", $"[{string.Join(", ", ids.ToArray())}]", Op);
            ids.CopyTo(shape);
            r = ids.Length;
        }
        else
        {
            if (ids.Length >= RunContext.MaxRank) throw new ShapeMismatchException($"{Op} Ids", $"rank < {RunContext.MaxRank}", ids.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Op);
            ids.CopyTo(shape);
            r = ids.Length + 1;
        }
        shape[r - 1] = dim;
        long padding = _padding < -1 ? _padding + vocab : _padding;
        var type = ctx.Type(_w);
        int row = dim * type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, shape[..r]);
        var table = ctx.ReadBytes(_w);
        long n = ctx.ElementCount(_ids);
        for (long i = 0; i < n; i++)
        {
            long id = ctx.ReadInt64(_ids, (int)i);
            var target = dst.Slice((int)(i * row), row);
            if (padding != -1 && id == padding)
            {
                target.Clear();
                continue;
            }
            if (id < 0 || id >= vocab) throw new ShapeMismatchException($"{Op} Ids", $"ids in [0, {vocab})", id.ToString(System.Globalization.CultureInfo.InvariantCulture), Op);
            table.Slice((int)(id * row), row).CopyTo(target);
        }
    }
}
