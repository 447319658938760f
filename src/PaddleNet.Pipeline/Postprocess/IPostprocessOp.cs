namespace PaddleNet.Pipeline.Postprocess;

/// <summary>One PaddleClas postprocess class (<c>deploy/python/postprocess.py</c>), applied to one row of output 0.</summary>
internal interface IPostprocessOp
{
    string Name { get; }

    /// <summary>The result for one image, or <see langword="null"/> for ops that return nothing (SavePreLabel).</summary>
    Classification? Apply(ReadOnlySpan<float> probabilities);
}
