using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>partial_sum</c>: X[] (2-D [B, N] each) → Out [B, len], the sum over inputs of columns
/// [start_index, start_index + length) (window as <see cref="PartialConcatKernel"/>). float32, float64, int32, int64.
/// </summary>
internal sealed class PartialSumKernel : Kernel
{
    private readonly int[] _xs;
    private readonly int _out, _start, _length;

    private PartialSumKernel(KernelBuilder b)
    {
        _xs = b.InputList("X");
        _out = b.RequiredOutput("Out");
        _start = b.Attrs.GetInt("start_index", 0);
        _length = b.Attrs.GetInt("length", -1);
        if (_xs.Length == 0) throw b.Unsupported("no inputs");
    }

    public static Kernel Create(KernelBuilder b) => new PartialSumKernel(b);

    public override void Execute(RunContext ctx)
    {
        var (batch, cols, start, len) = PartialConcatKernel.Window(ctx, _xs, _start, _length, "partial_sum");
        var type = ctx.Type(_xs[0]);
        var dst = ctx.AllocateBytes(_out, type, [batch, len]);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < len; j++)
            {
                double acc = 0;
                long accI = 0;
                foreach (var x in _xs)
                {
                    if (type is DataType.Int32 or DataType.Int64) accI += ctx.ReadInt64(x, b * cols + start + j);
                    else acc += ctx.ReadDouble(x, b * cols + start + j);
                }
                var target = dst.Slice((b * len + j) * type.SizeOf(), type.SizeOf());
                if (type == DataType.Int64) System.Runtime.InteropServices.MemoryMarshal.Write(target, in accI);
                else if (type == DataType.Int32) DataMove.Fill(target, type, accI);
                else if (type is DataType.Float32 or DataType.Float64) DataMove.Fill(target, type, acc);
                else throw new ShapeMismatchException("partial_sum X", "float32, float64, int32 or int64", type.Name(), "partial_sum");
            }
        }
    }
}
