using System.Runtime.InteropServices;

namespace PaddleNet.Runtime;

internal static class Tensors
{
    /// <summary>
    /// Parameters saved in fp16/bf16 (Paddle's save_as_fp16) are widened to the fp32 the program
    /// declares, so kernels see one weight type. Other types are used as stored.
    /// </summary>
    public static Tensor ConvertParameter(Tensor t, DataType? declared)
    {
        if (t.DataType == DataType.Float16 && declared is null or DataType.Float32)
        {
            var src = MemoryMarshal.Cast<byte, Half>(t.RawData.AsSpan());
            var dst = new float[src.Length];
            for (int i = 0; i < src.Length; i++) dst[i] = (float)src[i];
            return Tensor.FromSpan<float>(dst, t.Shape);
        }
        if (t.DataType == DataType.BFloat16 && declared is null or DataType.Float32)
        {
            var src = MemoryMarshal.Cast<byte, ushort>(t.RawData.AsSpan());
            var dst = new float[src.Length];
            for (int i = 0; i < src.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(src[i] << 16);
            return Tensor.FromSpan<float>(dst, t.Shape);
        }
        return t;
    }
}
