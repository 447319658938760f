using System.Text;
using PaddleNet.Serving.Protocols.Pipeline;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// The pipeline/Hub base64 decoder: Python's <c>b64decode</c> without validation (junk dropped, padding required for a
/// short last group, Python's error texts), identical over a string and over raw UTF-8, and equal to
/// <see cref="Convert.FromBase64String"/> on the cleaned text. Expected bytes come from .NET's own decoder.
/// </summary>
public sealed class PythonBase64Tests
{
    public static TheoryData<string, string> Decodable => new()
    {
        { "aGVsbG8=", "aGVsbG8=" },             // clean, padded
        { "aGVsbA==", "aGVsbA==" },
        { "aGVs", "aGVs" },                     // clean, no padding needed
        { "", "" },
        { "aGVs\nbG8=", "aGVsbG8=" },           // junk dropped (newline, space, é, NUL)
        { "a G V s b G 8 =", "aGVsbG8=" },
        { "aGé Vsb\u0000G8=", "aGVsbG8=" },
        { "aGVsbG8===", "aGVsbG8=" },           // extra padding ignored
        { "aG=VsbG8=", "aGVsbG8=" },            // '=' inside: dropped like Python's non-validating decode
    };

    [Theory]
    [MemberData(nameof(Decodable))]
    public void Decode_StringAndUtf8_EqualConvertOnTheCleanedText(string text, string cleaned)
    {
        byte[] expected = Convert.FromBase64String(cleaned);

        Assert.Equal(expected, PythonBase64.Decode(text));
        Assert.Equal(expected, PythonBase64.Decode(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Decode_LargeCleanImage_RoundTrips()
    {
        var bytes = new byte[100_003];
        new Random(3).NextBytes(bytes);
        string b64 = Convert.ToBase64String(bytes);

        Assert.Equal(bytes, PythonBase64.Decode(b64));
        Assert.Equal(bytes, PythonBase64.Decode(Encoding.ASCII.GetBytes(b64)));
        Assert.Equal(bytes, PythonBase64.Decode(string.Join("\n", b64.Chunk(76).Select(c => new string(c))))); // MIME lines
    }

    [Theory]
    [InlineData("aGVsbG8", "Incorrect padding")]
    [InlineData("aGVsb", "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4")]
    [InlineData("a=", "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4")]
    public void Decode_PythonErrors(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => PythonBase64.Decode(text)).Message);
        Assert.Equal(message, Assert.Throws<FormatException>(() => PythonBase64.Decode(Encoding.UTF8.GetBytes(text))).Message);
    }
}
