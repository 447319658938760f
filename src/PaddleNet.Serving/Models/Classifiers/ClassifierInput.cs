using PaddleNet.Imaging;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>One batch slot: a decoded image, or one already preprocessed C×H×W sample.</summary>
internal sealed record ClassifierInput(Image? Image, float[]? Sample, int[]? SampleShape)
{
    public static ClassifierInput FromImage(Image image) => new(image, null, null);

    public static ClassifierInput FromSample(float[] sample, int[] chw) => new(null, sample, chw);
}
