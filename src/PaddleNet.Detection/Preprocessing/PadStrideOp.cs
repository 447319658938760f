namespace PaddleNet.Detection.Preprocessing;

/// <summary><c>PadStride</c>: zero-pads a CHW image on the bottom and right to multiples of <c>stride</c>
/// (FPN models); <c>stride</c> ≤ 0 does nothing. <c>im_shape</c> keeps the unpadded size, as in PaddleDetection.</summary>
public sealed class PadStrideOp : PreprocessOp
{
    /// <summary>Pads to multiples of <paramref name="stride"/> (0: no padding).</summary>
    public PadStrideOp(int stride) => Stride = stride;

    /// <summary><c>PadStride</c>.</summary>
    public override string Type => "PadStride";

    /// <summary>Height and width are zero-padded up to a multiple of this; 0 leaves them.</summary>
    public int Stride { get; }

    internal override void Apply(PreprocessState state)
    {
        if (Stride <= 0) return;
        if (!state.IsChw)
        {
            throw new PaddleNetException("PadStride needs a CHW image: list Permute before it, as PaddleDetection exports do");
        }

        int c = state.Channels, h = state.Height, w = state.Width;
        int ph = (h + Stride - 1) / Stride * Stride, pw = (w + Stride - 1) / Stride * Stride;
        if (ph == h && pw == w) return;
        float[] src = state.Floats!;
        var dst = new float[c * ph * pw];
        for (int k = 0; k < c; k++)
        {
            for (int y = 0; y < h; y++)
            {
                src.AsSpan((k * h + y) * w, w).CopyTo(dst.AsSpan((k * ph + y) * pw, w));
            }
        }

        state.SetFloats(dst, c, ph, pw, chw: true);
    }
}
