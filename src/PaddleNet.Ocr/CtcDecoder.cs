using System.Text;

namespace PaddleNet.Ocr;

/// <summary>
/// PaddleOCR's <c>CTCLabelDecode</c>: class 0 is the CTC blank, classes 1…n are the dictionary's lines in order, and
/// with <c>use_space_char</c> one more class is the space. Greedy decoding takes the arg-max per time step, drops a
/// step equal to the previous one, drops blanks, and scores the text by the mean of the kept steps' maxima (0 when
/// none is kept).
/// </summary>
public sealed class CtcDecoder
{
    private readonly string[] _characters;

    /// <summary>Builds the class list from dictionary lines (PaddleOCR strips each line's <c>\n</c> / <c>\r\n</c>).</summary>
    public CtcDecoder(IReadOnlyList<string> dictionary, bool useSpaceChar)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var list = new List<string>(dictionary.Count + 2) { "blank" };
        list.AddRange(dictionary);
        if (useSpaceChar) list.Add(" ");
        _characters = list.ToArray();
        UseSpaceChar = useSpaceChar;
    }

    private CtcDecoder(string[] characters, string path, bool useSpaceChar)
    {
        _characters = characters;
        UseSpaceChar = useSpaceChar;
        DictionaryPath = path;
    }

    /// <summary>The dictionary file this decoder was read from, when it was.</summary>
    public string? DictionaryPath { get; }

    /// <summary>Entries read from the dictionary.</summary>
    public int DictionarySize => _characters.Length - 1 - (UseSpaceChar ? 1 : 0);

    /// <summary>Whether the last class is the space.</summary>
    public bool UseSpaceChar { get; }

    /// <summary>Classes the model must output: blank + dictionary (+ space).</summary>
    public int ClassCount => _characters.Length;

    /// <summary>Reads a PaddleOCR dictionary (one character per line, UTF-8).</summary>
    public static CtcDecoder FromFile(string path, bool useSpaceChar)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new OcrException($"{path}: rec_char_dict_path: file not found");
        byte[] bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new OcrException($"{path}: rec_char_dict_path: not UTF-8 text (byte {e.Index})", e);
        }

        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        // Python's readlines() keeps line ends; PaddleOCR strips "\n" then "\r\n" from each.
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                if (i == text.Length && start == text.Length) break;
                // line.strip("\n").strip("\r\n")
                lines.Add(text[start..i].Trim('\r', '\n'));
                start = i + 1;
            }
        }

        if (lines.Count == 0) throw new OcrException($"{path}: rec_char_dict_path: the dictionary is empty");
        var list = new List<string>(lines.Count + 2) { "blank" };
        list.AddRange(lines);
        if (useSpaceChar) list.Add(" ");
        return new CtcDecoder(list.ToArray(), path, useSpaceChar);
    }

    /// <summary>
    /// Decodes one sequence of <paramref name="steps"/> × <see cref="ClassCount"/> probabilities (row-major).
    /// </summary>
    /// <exception cref="OcrException">The row width differs from <see cref="ClassCount"/>.</exception>
    public (string Text, float Score) Decode(ReadOnlySpan<float> probabilities, int steps)
    {
        int classes = _characters.Length;
        if (steps < 0 || probabilities.Length != (long)steps * classes)
        {
            throw new OcrException($"CTC decode: expected {steps} x {classes} probabilities (blank + dictionary{(UseSpaceChar ? " + space" : "")}), got {probabilities.Length} values");
        }

        Span<int> indices = steps <= 1024 ? stackalloc int[steps] : new int[steps];
        Span<float> maxima = steps <= 1024 ? stackalloc float[steps] : new float[steps];
        for (int t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            int best = 0;
            float max = row[0];
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > max) { max = row[c]; best = c; } // first maximum, as numpy's argmax
            }

            indices[t] = best;
            maxima[t] = max;
        }

        return DecodeIndices(indices, maxima);
    }

    /// <summary>Greedy decoding of arg-max <paramref name="indices"/> with their probabilities.</summary>
    /// <exception cref="OcrException">An index is outside the class list.</exception>
    public (string Text, float Score) DecodeIndices(ReadOnlySpan<int> indices, ReadOnlySpan<float> probabilities)
    {
        if (indices.Length != probabilities.Length) throw new ArgumentException("indices and probabilities differ in length");
        var text = new StringBuilder();
        double sum = 0;
        int kept = 0;
        for (int t = 0; t < indices.Length; t++)
        {
            int id = indices[t];
            if ((uint)id >= (uint)_characters.Length)
            {
                throw new OcrException($"CTC decode: class {id} at step {t} is outside the {_characters.Length} classes of the dictionary");
            }

            if (t > 0 && id == indices[t - 1]) continue;
            if (id == 0) continue;
            text.Append(_characters[id]);
            sum += probabilities[t];
            kept++;
        }

        return (text.ToString(), kept == 0 ? 0f : (float)(sum / kept));
    }
}
