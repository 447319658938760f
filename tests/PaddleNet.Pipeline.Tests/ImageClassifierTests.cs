using PaddleNet.Imaging;

namespace PaddleNet.Pipeline.Tests;

public class ImageClassifierTests
{
    [Fact]
    public void ModelFolderWithInferenceYmlClassifiesPathBytesAndImages()
    {
        using var classifier = ImageClassifier.FromModelDirectory(SharedData.Root + "/models/cls/PP-LCNet_x0_25_textline_ori");
        var upright = SharedData.PathOf("models/images/pulc/PULC_textline_orientation/textline_orientation_test_0_0.png");
        var flipped = SharedData.PathOf("models/images/pulc/PULC_textline_orientation/textline_orientation_test_1_0.png");

        var fromPath = classifier.Classify(upright);
        Assert.Equal(0, fromPath.TopClassId);
        Assert.Equal("0_degree", fromPath.TopLabel);
        Assert.Equal(fromPath.Scores, classifier.Classify(File.ReadAllBytes(upright)).Scores);
        Assert.Equal(fromPath.Scores, classifier.Classify(Image.Decode(upright)).Scores);

        var batch = classifier.Classify([Image.Decode(upright), Image.Decode(flipped)]);
        Assert.Equal(["0_degree", "180_degree"], batch.Select(r => r.TopLabel));
    }
}
