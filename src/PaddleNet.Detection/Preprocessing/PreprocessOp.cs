namespace PaddleNet.Detection.Preprocessing;

/// <summary>One entry of <c>Preprocess</c> in <c>infer_cfg.yml</c>, applied per image in order
/// (PaddleDetection v2.6 <c>deploy/python/preprocess.py</c>).</summary>
public abstract class PreprocessOp
{
    private protected PreprocessOp()
    {
    }

    /// <summary>The op's <c>type</c> in the config.</summary>
    public abstract string Type { get; }

    internal abstract void Apply(PreprocessState state);
}
