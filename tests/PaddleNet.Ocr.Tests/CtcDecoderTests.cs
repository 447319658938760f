namespace PaddleNet.Ocr.Tests;

/// <summary><see cref="CtcDecoder"/>: PaddleOCR's CTCLabelDecode rules on hand-made sequences.</summary>
public sealed class CtcDecoderTests
{
    // classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 ' '
    private static readonly CtcDecoder Decoder = new(["a", "b", "c"], useSpaceChar: true);

    [Fact]
    public void Repeats_CollapseUnlessABlankSeparatesThem()
    {
        var (text, score) = Decoder.DecodeIndices([1, 1, 0, 1, 2, 2, 4, 3], [0.9f, 0.8f, 0.99f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f]);

        Assert.Equal("aab c", text);
        // kept steps: 0 (a), 3 (a), 4 (b), 6 (space), 7 (c)
        Assert.Equal((0.9f + 0.7f + 0.6f + 0.4f + 0.3f) / 5, score, 6);
    }

    [Fact]
    public void AllBlanks_EmptyTextScoreZero()
    {
        var (text, score) = Decoder.DecodeIndices([0, 0, 0], [0.9f, 0.9f, 0.9f]);

        Assert.Equal("", text);
        Assert.Equal(0f, score);
    }

    [Fact]
    public void UnknownClass_TypedError()
    {
        var e = Assert.Throws<OcrException>(() => Decoder.DecodeIndices([1, 5], [0.9f, 0.9f]));
        Assert.Contains("class 5", e.Message);
    }

    [Fact]
    public void Probabilities_ArgMaxPerStep_FirstMaximumWins()
    {
        // 3 steps x 5 classes: 'b' (tie with 'c' -> the first), blank, 'b'
        float[] p =
        [
            0.1f, 0.1f, 0.4f, 0.4f, 0f,
            0.9f, 0.05f, 0.05f, 0f, 0f,
            0f, 0f, 1f, 0f, 0f,
        ];

        var (text, score) = Decoder.Decode(p, 3);

        Assert.Equal("bb", text);
        Assert.Equal(0.7f, score, 6);
        Assert.Throws<OcrException>(() => Decoder.Decode(p.AsSpan(0, 14), 3));
    }

    [Fact]
    public void DictionaryFile_LinesStripped_SpaceAppended()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, "x\r\ny\n \nz"u8.ToArray());
            var d = CtcDecoder.FromFile(path, useSpaceChar: true);
            Assert.Equal(1 + 4 + 1, d.ClassCount);
            Assert.Equal("xy z ", d.DecodeIndices([1, 2, 3, 4, 5], [1, 1, 1, 1, 1]).Text);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
