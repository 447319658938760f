using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>linspace</c>: Start, Stop, Num (1-element tensors) → Out [Num] in attribute <c>dtype</c> (Paddle code,
/// default float32). As Paddle's CPU kernel: step = (stop − start)/(num − 1) in double; the first half counts up from
/// start (start + step·i), the second half down from stop (stop − step·(num − 1 − i)), so both ends are exact.
/// </summary>
internal sealed class LinspaceKernel : Kernel
{
    private readonly int _start, _stop, _num, _out;
    private readonly DataType _type;

    private LinspaceKernel(KernelBuilder b)
    {
        _start = b.RequiredInput("Start");
        _stop = b.RequiredInput("Stop");
        _num = b.RequiredInput("Num");
        _out = b.RequiredOutput("Out");
        _type = DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5));
    }

    public static Kernel Create(KernelBuilder b) => new LinspaceKernel(b);

    public override void Execute(RunContext ctx)
    {
        long num = ctx.ReadInt64(_num, 0);
        if (num <= 0 || num > int.MaxValue / 8) throw new ShapeMismatchException("linspace Num", "a positive count", num.ToString(System.Globalization.CultureInfo.InvariantCulture), "linspace");
        double start = ctx.ReadDouble(_start, 0), stop = ctx.ReadDouble(_stop, 0);
        int es = _type.SizeOf();
        var dst = ctx.AllocateBytes(_out, _type, [(int)num]);
        if (num == 1)
        {
            DataMove.Fill(dst, _type, start);
            return;
        }
        double step = (stop - start) / (num - 1);
        long half = num / 2;
        for (long i = 0; i < num; i++)
        {
            double v = i < half ? start + step * i : stop - step * (num - i - 1);
            DataMove.Fill(dst.Slice((int)(i * es), es), _type, v);
        }
    }
}
