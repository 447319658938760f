namespace PaddleNet.Detection.Preprocessing;

/// <summary>
/// <c>NormalizeImage</c> on HWC data, in NumPy's precision: <c>im = im.astype(float32)</c>; <c>im *= 1/255</c> in float32
/// (a Python float is a weak scalar); <c>im -= mean</c> and <c>im /= std</c> against float64 arrays, i.e. computed in
/// double and rounded back to float32 after each step. <c>norm_type: none</c> skips mean/std.
/// </summary>
public sealed class NormalizeImageOp : PreprocessOp
{
    /// <summary>An op with the config's <c>mean</c>, <c>std</c> and <c>is_scale</c>; <paramref name="meanStd"/> false is <c>norm_type: none</c>.</summary>
    public NormalizeImageOp(IReadOnlyList<double> mean, IReadOnlyList<double> std, bool isScale, bool meanStd)
    {
        Mean = mean.ToArray();
        Std = std.ToArray();
        IsScale = isScale;
        MeanStd = meanStd;
    }

    /// <summary><c>NormalizeImage</c>.</summary>
    public override string Type => "NormalizeImage";

    /// <summary>Per-channel mean subtracted (after the 1/255 scaling when <see cref="IsScale"/>).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel divisor.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Whether pixels are first multiplied by 1/255.</summary>
    public bool IsScale { get; }

    /// <summary><c>norm_type == 'mean_std'</c> (the default).</summary>
    public bool MeanStd { get; }

    internal override void Apply(PreprocessState state)
    {
        if (state.IsChw)
        {
            throw new PaddleNetException("NormalizeImage after Permute is not supported: it works on HWC images");
        }

        int c = state.Channels;
        if (MeanStd && (Mean.Count != c || Std.Count != c))
        {
            throw new PaddleNetException($"NormalizeImage: mean and std need {c} values for a {c}-channel image (got {Mean.Count} and {Std.Count})");
        }

        float[] data = state.AsFloats();
        const float Scale = (float)(1.0 / 255.0);
        Span<double> mean = stackalloc double[c];
        Span<double> std = stackalloc double[c];
        for (int k = 0; k < c && MeanStd; k++)
        {
            mean[k] = Mean[k];
            std[k] = Std[k];
        }

        for (int i = 0; i < data.Length; i += c)
        {
            for (int k = 0; k < c; k++)
            {
                float v = data[i + k];
                if (IsScale) v *= Scale;
                if (MeanStd)
                {
                    v = (float)(v - mean[k]);
                    v = (float)(v / std[k]);
                }

                data[i + k] = v;
            }
        }

        state.SetFloats(data, c, state.Height, state.Width, chw: false);
    }
}
