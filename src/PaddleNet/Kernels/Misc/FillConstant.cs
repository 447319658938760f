using System.Globalization;
using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>fill_constant</c> (PIR <c>full</c>, <c>full_with_tensor</c>): (ValueTensor, ShapeTensor, ShapeTensorList) → Out
/// filled with one value. Shape priority ShapeTensor &gt; ShapeTensorList &gt; attribute <c>shape</c>; value priority
/// ValueTensor &gt; <c>str_value</c> (non-empty, parsed; "inf"/"-inf"/"nan" allowed) &gt; <c>value</c> (default 0).
/// <c>dtype</c> (Paddle enum, default 5 = fp32): bool, int8/16/32/64, uint8, fp16, bf16, fp32, fp64.
/// </summary>
internal sealed class FillConstantKernel : Kernel
{
    private readonly int _out, _valueTensor, _shapeTensor;
    private readonly int[] _shapeList;
    private readonly long[] _shape;
    private readonly DataType _type;
    private readonly double _value;
    private readonly long _intValue;

    private FillConstantKernel(KernelBuilder b)
    {
        _out = b.RequiredOutput("Out");
        _valueTensor = b.Input("ValueTensor");
        _shapeTensor = b.Input("ShapeTensor");
        _shapeList = b.InputList("ShapeTensorList");
        _shape = b.Attrs.GetLongs("shape");
        _type = b.Attrs.Has("dtype") ? DataMove.FromPaddle(b, b.Attrs.GetLong("dtype", 5)) : b.DeclaredType("Out") ?? DataType.Float32;
        var str = b.Attrs.GetString("str_value", "");
        _value = b.Attrs.GetDouble("value", 0);
        _intValue = (long)_value;
        if (str.Length > 0)
        {
            if (long.TryParse(str, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                _intValue = l;
                _value = l;
            }
            else
            {
                _value = ParseDouble(b, str);
                _intValue = double.IsFinite(_value) ? (long)_value : 0;
            }
        }
    }

    public static Kernel Create(KernelBuilder b) => new FillConstantKernel(b);

    internal static double ParseDouble(KernelBuilder b, string s) => s.Trim().ToLowerInvariant() switch
    {
        "inf" or "+inf" or "infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        var t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw b.Unsupported($"str_value '{s}' is not a number"),
    };

    public override void Execute(RunContext ctx)
    {
        Span<long> dims = stackalloc long[RunContext.MaxRank];
        int n = DataMove.ReadIntArray(ctx, _shapeList, _shapeTensor, _shape, dims, tensorFirst: true);
        Span<int> shape = stackalloc int[n];
        for (int i = 0; i < n; i++) shape[i] = checked((int)dims[i]);
        var dst = ctx.AllocateBytes(_out, _type, shape);
        double value = _value;
        long intValue = _intValue;
        if (_valueTensor >= 0)
        {
            if (ctx.Type(_valueTensor) is DataType.Int64 or DataType.Int32) value = intValue = ctx.ReadInt64(_valueTensor, 0);
            else intValue = (long)(value = ctx.ReadDouble(_valueTensor, 0));
        }
        if (_type == DataType.Int64) MemoryMarshal.Cast<byte, long>(dst).Fill(intValue);
        else DataMove.Fill(dst, _type, value);
    }
}

/// <summary>
/// Paddle <c>fill_any_like</c> (PIR <c>full_like</c>): X → Out of X's shape filled with attribute <c>value</c> (default 0);
/// <c>dtype</c> −1 (default) keeps X's dtype, else a Paddle dtype code.
/// </summary>
internal sealed class FillAnyLikeKernel : Kernel
{
    private readonly int _x, _out;
    private readonly DataType? _type;
    private readonly double _value;

    private FillAnyLikeKernel(int x, int output, DataType? type, double value)
    {
        _x = x;
        _out = output;
        _type = type;
        _value = value;
    }

    public static Kernel Create(KernelBuilder b)
    {
        long code = b.Attrs.GetLong("dtype", -1);
        DataType? type = code < 0 ? null : DataMove.FromPaddle(b, code);
        return new FillAnyLikeKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), type, b.Attrs.GetDouble("value", 0));
    }

    public override void Execute(RunContext ctx)
    {
        var type = _type ?? ctx.Type(_x);
        DataMove.Fill(ctx.AllocateBytes(_out, type, ctx.Shape(_x)), type, _value);
    }
}
