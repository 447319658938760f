using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Quant;

/// <summary>
/// Paddle op fake_channel_wise_dequantize_max_abs. max_range = prod over quant_bits of (2^(bits-1) - 1).
/// One scale tensor (weights): channel c of quant_axis (0 or 1) gets (X * Scales[0][c]) / max_range. Two scale
/// tensors (an op's output): channel c of dimension x_num_col_dims (default 1) gets
/// ((X * Scales[0][c]) * Scales[1][0]) / max_range.
/// </summary>
internal sealed class FakeChannelWiseDequantizeMaxAbsKernel(int x, int[] scales, int output, int axis, float maxRange) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var scales = b.InputList("Scales");
        if (scales.Length is not (1 or 2)) throw b.Unsupported($"input slot 'Scales' holds {scales.Length} tensors (1 or 2)");
        var bits = b.Attrs.GetInts("quant_bits");
        if (bits.Length == 0) bits = [8];
        if (bits.Length != scales.Length) throw b.Unsupported($"attribute 'quant_bits' has {bits.Length} values for {scales.Length} scale tensors");
        float maxRange = 1;
        foreach (var n in bits)
        {
            if (n < 1 || n > 16) throw b.Unsupported($"attribute 'quant_bits' value {n} (1..16)");
            maxRange *= (float)(Math.Pow(2, n - 1) - 1);
        }
        int axis = scales.Length == 1 ? b.Attrs.GetInt("quant_axis", 0) : b.Attrs.GetInt("x_num_col_dims", 1);
        if (scales.Length == 1 && axis is not (0 or 1)) throw b.Unsupported($"attribute 'quant_axis' = {axis} (Paddle allows 0 or 1)");
        if (axis < 0) throw b.Unsupported($"attribute 'x_num_col_dims' = {axis}");
        return new FakeChannelWiseDequantizeMaxAbsKernel(b.RequiredInput("X"), scales, b.RequiredOutput("Out"), axis, maxRange);
    }

    public override void Execute(RunContext ctx)
    {
        var shape = ctx.Shape(x);
        var src = ctx.Read<float>(x);
        var dst = ctx.Allocate<float>(output, shape);
        Span<float> scratch = stackalloc float[QuantCore.MaxScratch];
        var s = QuantCore.Floats(ctx, scales[0], scratch, "Scales[0]");
        QuantCore.CheckChannels(ctx, x, axis, s.Length, "fake_channel_wise_dequantize_max_abs");
        if (scales.Length == 1)
        {
            QuantCore.Dequantize(src, dst, shape, axis, s, maxRange);
            return;
        }
        float s2 = (float)ctx.ReadDouble(scales[1], 0);
        var (outer, channels, inner) = QuantCore.Split(shape, axis);
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = (int)((o * channels + c) * inner);
                for (int i = start; i < start + inner; i++) dst[i] = src[i] * s[c] * s2 / maxRange;
            }
        }
    }
}
