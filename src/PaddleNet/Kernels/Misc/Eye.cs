using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>eye</c>: → Out [num_rows, num_columns] (num_columns −1 = num_rows), ones on the main diagonal, zeros elsewhere,
/// in attribute <c>dtype</c> (Paddle code, default float32). Built once at load.
/// </summary>
internal sealed class EyeKernel : Kernel
{
    private readonly int _out;
    private readonly int[] _shape;
    private readonly DataType _type;
    private readonly byte[] _bytes;

    private EyeKernel(KernelBuilder b)
    {
        _out = b.RequiredOutput("Out");
        long rows = b.Attrs.GetLong("num_rows", -1);
        long cols = b.Attrs.GetLong("num_columns", -1);
        if (cols < 0) cols = rows;
        if (rows < 0 || rows * cols > int.MaxValue / 8) throw b.Unsupported($"num_rows {rows}, num_columns {cols}");
        _type = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5));
        _shape = [(int)rows, (int)cols];
        int es = _type.SizeOf();
        _bytes = new byte[rows * cols * es];
        for (long i = 0; i < Math.Min(rows, cols); i++) DataMove.Fill(_bytes.AsSpan((int)((i * cols + i) * es), es), _type, 1);
    }

    public static Kernel Create(KernelBuilder b) => new EyeKernel(b);

    public override void Execute(RunContext ctx) => _bytes.CopyTo(ctx.AllocateBytes(_out, _type, _shape));
}
