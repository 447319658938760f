using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>one_hot_v2</c> (PIR <c>one_hot</c>): X (int32/int64 class ids, any shape) (, depth_tensor) → Out of shape
/// X.shape + [depth], 1 at the id and 0 elsewhere, in attribute <c>dtype</c> (Paddle code, default float32).
/// An id outside [0, depth) is an error unless <c>allow_out_of_range</c>, which leaves its row all zeros.
/// </summary>
internal sealed class OneHotV2Kernel : Kernel
{
    private readonly int _x, _depthTensor, _out, _depth;
    private readonly DataType _type;
    private readonly bool _allowOutOfRange;

    private OneHotV2Kernel(KernelBuilder b)
    {
        _x = b.RequiredInput("X");
        _depthTensor = b.Input("depth_tensor");
        _out = b.RequiredOutput("Out");
        _depth = b.Attrs.GetInt("depth", -1);
        _type = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5));
        _allowOutOfRange = b.Attrs.GetBool("allow_out_of_range", false);
        if (_depthTensor < 0 && _depth < 0) throw b.Unsupported("depth is missing");
    }

    public static Kernel Create(KernelBuilder b) => new OneHotV2Kernel(b);

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_x);
        long depth = _depthTensor >= 0 ? ctx.ReadInt64(_depthTensor, 0) : _depth;
        if (depth < 0 || depth > int.MaxValue) throw new ShapeMismatchException("one_hot_v2 depth", "a non-negative int32", depth.ToString(System.Globalization.CultureInfo.InvariantCulture), "one_hot_v2");
        if (xs.Length >= RunContext.MaxRank) throw new ShapeMismatchException("one_hot_v2 X", $"rank < {RunContext.MaxRank}", xs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "one_hot_v2");
        Span<int> shape = stackalloc int[xs.Length + 1];
        xs.CopyTo(shape);
        shape[^1] = (int)depth;
        int es = _type.SizeOf();
        var dst = ctx.AllocateBytes(_out, _type, shape);
        dst.Clear();
        Span<byte> one = stackalloc byte[8];
        DataMove.Fill(one[..es], _type, 1);
        long n = ctx.ElementCount(_x);
        for (long i = 0; i < n; i++)
        {
            long id = ctx.ReadInt64(_x, (int)i);
            if (id < 0 || id >= depth)
            {
                if (_allowOutOfRange) continue;
                throw new ShapeMismatchException("one_hot_v2 X", $"class ids in [0, {depth})", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "one_hot_v2");
            }
            one[..es].CopyTo(dst.Slice((int)((i * depth + id) * es), es));
        }
    }
}
