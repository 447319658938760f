namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// Python's <c>base64.b64decode(s)</c> (validate=False): characters outside the alphabet are dropped, a short last
/// group needs its <c>=</c> padding; the error texts are Python's.
/// </summary>
internal static class PythonBase64
{
    public static byte[] Decode(string s)
    {
        var data = new System.Text.StringBuilder(s.Length);
        int padding = 0;
        foreach (char c in s)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/') data.Append(c);
            else if (c == '=') padding++;
        }
        int rest = data.Length % 4;
        if (rest == 1)
        {
            throw new FormatException($"Invalid base64-encoded string: number of data characters ({data.Length}) cannot be 1 more than a multiple of 4");
        }
        if (rest != 0)
        {
            if (padding < 4 - rest) throw new FormatException("Incorrect padding");
            data.Append('=', 4 - rest);
        }
        return Convert.FromBase64String(data.ToString());
    }
}
