namespace PaddleNet.Pipeline.Preprocess;

/// <summary>One PaddleClas preprocess operator (<c>deploy/python/preprocess.py</c>), applied to one image.</summary>
internal interface IPreprocessOp
{
    string Name { get; }

    ImageArray Apply(ImageArray input);
}
