namespace PaddleNet.Ocr.Tests;

/// <summary>Wrong models, dictionaries and options: typed <see cref="OcrException"/>s that name the file and what was expected.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void DictionaryOfTheWrongSize_RefusedWithBothCounts()
    {
        var e = Assert.Throws<OcrException>(() => TextRecognizer.Load(Models.RecV4, SharedData.PathOf("models/labels/ic15_dict.txt")));

        Assert.Contains("6625 classes", e.Message);
        Assert.Contains("ic15_dict.txt", e.Message);
    }

    [Fact]
    public void WithoutTheSpaceChar_ClassCountOffByOne_Refused()
    {
        var e = Assert.Throws<OcrException>(() => TextRecognizer.Load(Models.RecV4, Models.Keys, new TextRecognizerOptions { UseSpaceChar = false }));

        Assert.Contains("6624", e.Message);
    }

    [Fact]
    public void DetectionModelGivenAsRec_Refused()
    {
        var e = Assert.Throws<OcrException>(() => TextRecognizer.Load(Models.DetV4, Models.Keys));

        Assert.Contains("rec_model_dir", e.Message);
        Assert.Contains("detection model", e.Message);
    }

    [Fact]
    public void RecognitionModelGivenAsDet_Refused()
    {
        var e = Assert.Throws<OcrException>(() => TextDetector.Load(Models.RecV4));

        Assert.Contains("det_model_dir", e.Message);
    }

    [Fact]
    public void MissingModelAndDictionary_NamedInTheError()
    {
        Assert.Contains("no such file", Assert.Throws<OcrException>(() => TextDetector.Load("/nonexistent/det")).Message);
        Assert.Contains("rec_char_dict_path", Assert.Throws<OcrException>(() => TextRecognizer.Load(Models.RecV4, "/nonexistent/keys.txt")).Message);
    }

    [Fact]
    public void BadRecImageShape_Refused()
    {
        Assert.Throws<OcrException>(() => TextRecognizer.Load(Models.RecV4, Models.Keys, new TextRecognizerOptions { ImageShape = [3, 48] }));
    }
}
