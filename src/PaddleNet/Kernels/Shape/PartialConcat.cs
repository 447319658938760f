using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>partial_concat</c>: X[] (2-D [B, N] each) → Out [B, k·len], the columns [start_index, start_index + length)
/// of each input side by side. <c>start_index</c> may be negative (counts from N), <c>length</c> −1 means to the end.
/// Any dtype.
/// </summary>
internal sealed class PartialConcatKernel : Kernel
{
    private readonly int[] _xs;
    private readonly int _out, _start, _length;

    private PartialConcatKernel(KernelBuilder b)
    {
        _xs = b.InputList("X");
        _out = b.RequiredOutput("Out");
        _start = b.Attrs.GetInt("start_index", 0);
        _length = b.Attrs.GetInt("length", -1);
        if (_xs.Length == 0) throw b.Unsupported("no inputs");
    }

    public static Kernel Create(KernelBuilder b) => new PartialConcatKernel(b);

    /// <summary>The column window shared by partial_concat and partial_sum.</summary>
    internal static (int Batch, int Cols, int Start, int Len) Window(RunContext ctx, int[] xs, int start, int length, string op)
    {
        var s0 = ctx.Shape(xs[0]);
        if (s0.Length != 2) throw new ShapeMismatchException($"{op} X", "2-D inputs", $"rank {s0.Length}", op);
        foreach (var x in xs)
        {
            var s = ctx.Shape(x);
            if (s.Length != 2 || s[0] != s0[0] || s[1] != s0[1] || ctx.Type(x) != ctx.Type(xs[0])) throw new ShapeMismatchException($"{op} X", $"every input [{s0[0]}, {s0[1]}] of one dtype", $"[{string.Join(", ", s.ToArray())}]", op);
        }
        int cols = s0[1];
        int st = start < 0 ? start + cols : start;
        int len = length < 0 ? cols - st : length;
        if (st < 0 || st > cols || len < 0 || st + len > cols) throw new ShapeMismatchException($"{op} start_index/length", $"a window inside {cols} columns", $"{start}/{length}", op);
        return (s0[0], cols, st, len);
    }

    public override void Execute(RunContext ctx)
    {
        var (batch, cols, start, len) = Window(ctx, _xs, _start, _length, "partial_concat");
        var type = ctx.Type(_xs[0]);
        int es = type.SizeOf();
        var dst = ctx.AllocateBytes(_out, type, [batch, len * _xs.Length]);
        for (int k = 0; k < _xs.Length; k++)
        {
            var src = ctx.ReadBytes(_xs[k]);
            for (int b = 0; b < batch; b++) src.Slice((b * cols + start) * es, len * es).CopyTo(dst.Slice((b * len * _xs.Length + k * len) * es, len * es));
        }
    }
}
