using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>range</c> (PIR <c>arange</c>): Start, End, Step (1-element tensors) → Out, 1-D. Length: integers
/// (|end−start| + |step| − 1) / |step|, floats ceil(|(end−start)/step|); values accumulate like Paddle's CPU kernel
/// (v = start; v += step). Dtype: the output's declared dtype, else Start's (fp32, fp64, int32, int64).
/// </summary>
internal sealed class RangeKernel : Kernel
{
    private readonly int _start, _end, _step, _out;
    private readonly DataType? _declared;

    private RangeKernel(int start, int end, int step, int output, DataType? declared)
    {
        _start = start;
        _end = end;
        _step = step;
        _out = output;
        _declared = declared;
    }

    public static Kernel Create(KernelBuilder b) => new RangeKernel(
        b.RequiredInput("Start"), b.RequiredInput("End"), b.RequiredInput("Step"), b.RequiredOutput("Out"), b.DeclaredType("Out"));

    public override void Execute(RunContext ctx)
    {
        var type = _declared ?? ctx.Type(_start);
        Span<int> shape = stackalloc int[1];
        switch (type)
        {
            case DataType.Float32:
                {
                    float s = (float)ctx.ReadDouble(_start, 0), e = (float)ctx.ReadDouble(_end, 0), st = (float)ctx.ReadDouble(_step, 0);
                    shape[0] = Count(Math.Ceiling(Math.Abs((double)((e - s) / st))), st == 0);
                    var y = ctx.Allocate<float>(_out, shape);
                    float v = s;
                    for (int i = 0; i < y.Length; i++, v += st) y[i] = v;
                    break;
                }
            case DataType.Float64:
                {
                    double s = ctx.ReadDouble(_start, 0), e = ctx.ReadDouble(_end, 0), st = ctx.ReadDouble(_step, 0);
                    shape[0] = Count(Math.Ceiling(Math.Abs((e - s) / st)), st == 0);
                    var y = ctx.Allocate<double>(_out, shape);
                    double v = s;
                    for (int i = 0; i < y.Length; i++, v += st) y[i] = v;
                    break;
                }
            case DataType.Int32:
            case DataType.Int64:
                {
                    long s = ReadLong(ctx, _start), e = ReadLong(ctx, _end), st = ReadLong(ctx, _step);
                    shape[0] = Count(st == 0 ? 0 : (Math.Abs(e - s) + Math.Abs(st) - 1) / Math.Abs(st), st == 0);
                    if (type == DataType.Int32)
                    {
                        var y = ctx.Allocate<int>(_out, shape);
                        for (int i = 0; i < y.Length; i++) y[i] = (int)(s + i * st);
                    }
                    else
                    {
                        var y = ctx.Allocate<long>(_out, shape);
                        for (int i = 0; i < y.Length; i++) y[i] = s + i * st;
                    }
                    break;
                }
            default:
                throw new ShapeMismatchException("range Start", "fp32, fp64, int32 or int64", type.Name());
        }
    }

    private static long ReadLong(RunContext ctx, int id) => ctx.Type(id) is DataType.Float32 or DataType.Float64 ? (long)ctx.ReadDouble(id, 0) : ctx.ReadInt64(id, 0);

    private static int Count(double n, bool zeroStep)
    {
        if (zeroStep) throw new ShapeMismatchException("range Step", "non-zero", "0");
        if (!(n >= 0) || n > int.MaxValue) throw new ShapeMismatchException("range length", "a finite non-negative size", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (int)n;
    }
}
