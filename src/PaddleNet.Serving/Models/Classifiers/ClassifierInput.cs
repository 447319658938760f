using PaddleNet.Pipeline.Preprocess;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>
/// One batch slot, already preprocessed on the request's thread: a C×H×W sample (float32, float16 or uint8, as the
/// config's ops leave it). Slots of one shape and type stack into one batch tensor.
/// </summary>
internal sealed record ClassifierInput(ImageArray Sample)
{
    public static ClassifierInput FromSample(float[] sample, int[] chw) => new(ImageArray.OfFloats(sample, chw));

    /// <summary>Slots with equal keys stack.</summary>
    public string StackKey => Sample.Describe();
}
