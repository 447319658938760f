using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Output;

namespace PaddleNet.Pipeline.Tests;

public class FormatTests
{
    [Theory]
    [InlineData(0.125, "0.12")]    // exact binary midpoint: half to even (.NET "F2" gives 0.13)
    [InlineData(0.375, "0.38")]
    [InlineData(0.005, "0.01")]    // 0.005 is slightly above the midpoint in binary
    [InlineData(0.0049999, "0.00")]
    [InlineData(1.0, "1.00")]
    [InlineData(0.99999, "1.00")]
    [InlineData(0.7412345, "0.74")]
    [InlineData(-0.125, "-0.12")]
    public void FixedTwoDecimalsIsPythonFormat(double value, string expected)
    {
        Assert.Equal(expected, PyFormat.Fixed(value, 2));
    }

    [Fact]
    public void ScoresAreRoundedTwiceLikePaddleClas()
    {
        // np.around(0.0049999, 5) = 0.005, then "{:.2f}" = "0.01"; formatting 0.0049999 directly would print "0.00".
        var topk = new Classification([3], [Math.Round(0.0049999 * 1e5, MidpointRounding.ToEven) / 1e5], []);
        Assert.Equal("a.png:\tclass id(s): [3], score(s): [0.01], label_name(s): []", ResultLine.Format("a.png", topk));
    }

    [Theory]
    [InlineData("tabby, tabby cat", "'tabby, tabby cat'")]
    [InlineData("jack-o'-lantern", "\"jack-o'-lantern\"")]
    [InlineData("both ' and \"", "'both \\' and \"'")]
    [InlineData("back\\slash\ttab\r", "'back\\\\slash\\ttab\\r'")]
    [InlineData("中文", "'中文'")]
    [InlineData("nb\u00a0sp\u0001", "'nb\\xa0sp\\x01'")]
    public void StringReprChoosesQuotesLikePython(string text, string expected)
    {
        Assert.Equal(expected, PyRepr.String(text));
    }

    [Theory]
    [InlineData(0.00392157, "0.00392157")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.0 / 255.0, "0.00392156862745098")]
    [InlineData(-2.5, "-2.5")]
    public void FloatReprIsPythonRepr(double value, string expected)
    {
        Assert.Equal(expected, PyRepr.Float(value));
    }

    [Fact]
    public void LineGrammar()
    {
        var c = new Classification([153, 204], [0.74, 0.09], ["Maltese dog, Maltese terrier, Maltese", "Lhasa, Lhasa apso"]);
        Assert.Equal("x.jpeg:\tclass id(s): [153, 204], score(s): [0.74, 0.09], label_name(s): ['Maltese dog, Maltese terrier, Maltese', 'Lhasa, Lhasa apso']",
            ResultLine.Format("x.jpeg", c));
        Assert.Equal("x.jpeg:\tscore(s): [0.50, 0.25]", ResultLine.Format("x.jpeg", new Classification([], [0.5, 0.25], null)));
    }
}
