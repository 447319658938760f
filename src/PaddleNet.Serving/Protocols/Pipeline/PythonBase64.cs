using System.Buffers;
using System.Buffers.Text;
using System.Numerics;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// Python's <c>base64.b64decode(s)</c> (validate=False): characters outside the alphabet are dropped, a short last
/// group needs its <c>=</c> padding; the error texts are Python's. Decodes straight into one array of the exact size:
/// clean text (the usual case) is decoded in place; text with characters to drop is filtered into a pooled buffer
/// first. No intermediate strings.
/// </summary>
internal static class PythonBase64
{
    public static byte[] Decode(string s) => Decode<char>(s.AsSpan());

    /// <summary>The same over UTF-8 text (a JSON string's raw bytes without escapes): bytes of multi-byte characters
    /// are outside the alphabet and dropped, as their characters would be.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> utf8) => Decode<byte>(utf8);

    private static byte[] Decode<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        int data = 0, padding = 0;
        bool clean = true; // only alphabet characters, then only '='
        foreach (T t in s)
        {
            int c = int.CreateTruncating(t);
            if (c < 128 && (char.IsAsciiLetterOrDigit((char)c) || c is '+' or '/'))
            {
                data++;
                if (padding > 0) clean = false;
            }
            else if (c == '=')
            {
                padding++;
            }
            else
            {
                clean = false;
            }
        }
        int rest = data % 4;
        if (rest == 1)
        {
            throw new FormatException($"Invalid base64-encoded string: number of data characters ({data}) cannot be 1 more than a multiple of 4");
        }
        int pad = rest == 0 ? 0 : 4 - rest;
        if (padding < pad) throw new FormatException("Incorrect padding");
        var result = GC.AllocateUninitializedArray<byte>(data / 4 * 3 + (rest == 0 ? 0 : rest - 1));
        if (clean && padding == pad && TryDecode(s, result)) return result;

        // Characters to drop (or extra '='): the data characters and the padding they need, as ASCII, in a pooled buffer.
        byte[] ascii = ArrayPool<byte>.Shared.Rent(data + pad);
        try
        {
            int n = 0;
            foreach (T t in s)
            {
                int c = int.CreateTruncating(t);
                if (c < 128 && (char.IsAsciiLetterOrDigit((char)c) || c is '+' or '/')) ascii[n++] = (byte)c;
            }
            for (int i = 0; i < pad; i++) ascii[n++] = (byte)'=';
            if (Base64.DecodeFromUtf8(ascii.AsSpan(0, n), result, out _, out int written) != OperationStatus.Done || written != result.Length)
            {
                throw new FormatException("Invalid base64-encoded string");
            }
            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ascii);
        }
    }

    private static bool TryDecode<T>(ReadOnlySpan<T> s, byte[] result) where T : unmanaged, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(char))
        {
            var chars = System.Runtime.InteropServices.MemoryMarshal.Cast<T, char>(s);
            return Convert.TryFromBase64Chars(chars, result, out int written) && written == result.Length;
        }
        var bytes = System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(s);
        return Base64.DecodeFromUtf8(bytes, result, out _, out int n) == OperationStatus.Done && n == result.Length;
    }
}
