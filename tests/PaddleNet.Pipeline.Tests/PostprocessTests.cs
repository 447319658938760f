using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Postprocess;

namespace PaddleNet.Pipeline.Tests;

public class PostprocessTests
{
    private static PostprocessPipeline Post(string yaml, TextWriter? messages = null) =>
        new(ClsConfig.FromMap(ConfigLoader.Parse(yaml)).PostProcess, messages);

    [Fact]
    public void TopkOrdersScoresRoundsToFiveDecimalsAndMapsLabels()
    {
        var labels = Path.GetTempFileName();
        File.WriteAllText(labels, "0 zero\n1 one, uno\r\n2 jack-o'-lantern\n");
        var post = Post($"PostProcess:\n  main_indicator: Topk\n  Topk:\n    topk: 2\n    class_id_map_file: {labels}\n");
        var r = post.Apply([0.1f, 0.123456789f, 0.7f]);
        Assert.Equal([2, 1], r.ClassIds);
        Assert.Equal(0.12346, r.Scores[1]);
        Assert.Equal(["jack-o'-lantern", "one, uno"], r.LabelNames!);
        File.Delete(labels);
    }

    [Fact]
    public void TiesGoHighestIdFirstLikeNumpyOnSmallArrays()
    {
        var r = Post("PostProcess:\n  main_indicator: Topk\n  Topk:\n    topk: 3\n").Apply([0.25f, 0.5f, 0.25f]);
        Assert.Equal([1, 2, 0], r.ClassIds);
        Assert.Empty(r.LabelNames!);
    }

    [Fact]
    public void LabelListWinsOverTheMapFile()
    {
        var r = Post("PostProcess:\n  Topk:\n    topk: 1\n    label_list: [a, b]\n  main_indicator: Topk\n").Apply([0.2f, 0.8f]);
        Assert.Equal(["b"], r.LabelNames!);
    }

    [Fact]
    public void MissingMapFilePrintsPaddleClasWarningToMessages()
    {
        var messages = new StringWriter();
        var r = Post("PostProcess:\n  main_indicator: Topk\n  Topk:\n    class_id_map_file: /no/such/file.txt\n", messages).Apply([0.2f, 0.8f]);
        Assert.Equal("Warning: If want to use your own label_dict, please input legal path!\nOtherwise label_names will be empty!\n", messages.ToString());
        Assert.Empty(r.LabelNames!);
    }

    [Fact]
    public void BadMapLinePrintsTheExceptionAndDropsTheMap()
    {
        var labels = Path.GetTempFileName();
        File.WriteAllText(labels, "0 a\n\n1 b\n");
        var messages = new StringWriter();
        var r = Post($"PostProcess:\n  main_indicator: Topk\n  Topk:\n    class_id_map_file: {labels}\n", messages).Apply([0.2f, 0.8f]);
        Assert.Equal("invalid literal for int() with base 10: ''\n", messages.ToString());
        Assert.Empty(r.LabelNames!);
        File.Delete(labels);
    }

    [Fact]
    public void ThreshOutputBinaryUsesFloat32ComplementBelowThreshold()
    {
        var post = Post("PostProcess:\n  main_indicator: ThreshOutput\n  ThreshOutput:\n    threshold: 0.9\n    label_0: nobody\n    label_1: someone\n");
        var below = post.Apply([0.3f, 0.7f]);
        Assert.Equal([0], below.ClassIds);
        Assert.Equal((double)(1f - 0.7f), below.Scores[0]);
        Assert.Equal(["nobody"], below.LabelNames!);
        var above = post.Apply([0.05f, 0.95f]);
        Assert.Equal([1], above.ClassIds);
        Assert.Equal((double)0.95f, above.Scores[0]);
    }

    [Fact]
    public void MultiLabelKeepsEveryScoreAtOrAboveThresholdInIdOrder()
    {
        var r = Post("PostProcess:\n  main_indicator: MultiLabelThreshOutput\n  MultiLabelThreshOutput:\n    threshold: 0.5\n").Apply([0.9f, 0.1f, 0.5f]);
        Assert.Equal([0, 2], r.ClassIds);
        Assert.Equal([0.9, 0.5], r.Scores);
    }

    [Fact]
    public void ScoreOutputHasNoLabels()
    {
        var r = Post("PostProcess:\n  main_indicator: ScoreOutput\n  ScoreOutput:\n    decimal_places: 2\n").Apply([0.126f, 0.5f]);
        Assert.Null(r.LabelNames);
        Assert.Equal((double)0.13f, r.Scores[0]);
    }

    [Fact]
    public void MainIndicatorIsASubstringMatchAndMustMatch()
    {
        var r = Post("PostProcess:\n  main_indicator: TopkAndMore\n  SavePreLabel:\n    save_dir: x\n  Topk:\n    topk: 1\n").Apply([0.2f, 0.8f]);
        Assert.Equal([1], r.ClassIds);
        Assert.Throws<PaddleNetException>(() => Post("PostProcess:\n  main_indicator: ''\n  Topk:\n    topk: 1\n"));
        Assert.Throws<PaddleNetException>(() => Post("PostProcess:\n  main_indicator: Topk\n  PersonAttribute:\n    threshold: 0.5\n"));
    }
}
