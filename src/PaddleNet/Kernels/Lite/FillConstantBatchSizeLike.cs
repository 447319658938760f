using System.Runtime.InteropServices;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Lite;

/// <summary>
/// Paddle <c>fill_constant_batch_size_like</c> (Input → Out): a tensor of attribute <c>shape</c> whose dimension
/// <c>output_dim_idx</c> (default 0) is replaced by Input's dimension <c>input_dim_idx</c> (default 0), filled with
/// <c>str_value</c> (when non-empty) else <c>value</c>; <c>dtype</c> a Paddle dtype code (default 5, float32).
/// Used by PP-OCR v2 CRNN exports for the LSTM's zero initial states.
/// </summary>
internal sealed class FillConstantBatchSizeLikeKernel : Kernel
{
    private readonly int _input, _out, _inputDim, _outputDim;
    private readonly int[] _shape;
    private readonly DataType _type;
    private readonly double _value;

    private FillConstantBatchSizeLikeKernel(int input, int output, int[] shape, int inputDim, int outputDim, DataType type, double value)
    {
        _input = input; _out = output; _shape = shape; _inputDim = inputDim; _outputDim = outputDim; _type = type; _value = value;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var shape = a.GetInts("shape");
        int inDim = a.GetInt("input_dim_idx", 0), outDim = a.GetInt("output_dim_idx", 0);
        if (outDim < 0 || outDim >= shape.Length) throw b.Unsupported($"output_dim_idx {outDim} outside shape of rank {shape.Length}");
        if (inDim < 0) throw b.Unsupported($"input_dim_idx {inDim}");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i != outDim && shape[i] < 0) throw b.Unsupported($"shape[{i}] = {shape[i]}");
        }
        var type = DataMove.FromPaddle(b, a.GetLong("dtype", 5));
        var str = a.GetString("str_value", "");
        double value = str.Length > 0 ? FillConstantKernel.ParseDouble(b, str) : a.GetDouble("value", 0);
        return new FillConstantBatchSizeLikeKernel(b.RequiredInput("Input"), b.RequiredOutput("Out"), shape, inDim, outDim, type, value);
    }

    public override void Execute(RunContext ctx)
    {
        var inShape = ctx.Shape(_input);
        if (_inputDim >= inShape.Length) throw new ShapeMismatchException("fill_constant_batch_size_like Input", $"rank > {_inputDim}", $"rank {inShape.Length}", "fill_constant_batch_size_like");
        Span<int> shape = stackalloc int[_shape.Length];
        _shape.CopyTo(shape);
        shape[_outputDim] = inShape[_inputDim];
        var dst = ctx.AllocateBytes(_out, _type, shape);
        if (_type == DataType.Int64) MemoryMarshal.Cast<byte, long>(dst).Fill((long)_value);
        else DataMove.Fill(dst, _type, _value);
    }
}
