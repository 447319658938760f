using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// PaddleClas <c>SavePreLabel(save_dir)</c>: copies images into <c>save_dir/&lt;top1&gt;/</c>, but only when file names
/// are passed, which <c>predict_cls</c> never does. Accepted (save_dir is required) and does nothing.
/// </summary>
internal sealed class SavePreLabel : IPostprocessOp
{
    public SavePreLabel(OpParameters p)
    {
        if (p.Get("save_dir") is null) throw new PaddleNetException("Please specify save_dir if SavePreLabel specified.");
        p.EnsureAllUsed();
    }

    public string Name => "SavePreLabel";

    public Classification? Apply(ReadOnlySpan<float> probabilities) => null;
}
