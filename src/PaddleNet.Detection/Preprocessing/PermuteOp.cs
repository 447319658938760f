namespace PaddleNet.Detection.Preprocessing;

/// <summary><c>Permute</c>: HWC → CHW (<c>im.transpose((2, 0, 1))</c>).</summary>
public sealed class PermuteOp : PreprocessOp
{
    /// <summary><c>Permute</c>.</summary>
    public override string Type => "Permute";

    internal override void Apply(PreprocessState state)
    {
        if (state.IsChw)
        {
            throw new PaddleNetException("Permute: the image is already CHW (Permute listed twice?)");
        }

        int c = state.Channels, h = state.Height, w = state.Width;
        float[] hwc = state.AsFloats();
        var chw = new float[hwc.Length];
        int plane = h * w;
        for (int p = 0; p < plane; p++)
        {
            for (int k = 0; k < c; k++)
            {
                chw[k * plane + p] = hwc[p * c + k];
            }
        }

        state.SetFloats(chw, c, h, w, chw: true);
    }
}
