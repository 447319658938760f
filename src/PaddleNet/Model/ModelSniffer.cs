namespace PaddleNet.Model;

internal enum SniffedFormat
{
    Unknown,
    ProgramDesc,
    PirJson,
    PaddleLite,
    PaddleLiteNaiveProgram,
    ParameterStream,
}

/// <summary>Decides a file's format from its first bytes (formats.md §0), never from its name.</summary>
internal static class ModelSniffer
{
    public static SniffedFormat Sniff(ReadOnlySpan<byte> head)
    {
        int i = 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i < head.Length && head[i] == (byte)'{') return SniffedFormat.PirJson;
        if (Lite.LiteModelReader.LooksLikeHeader(head)) return SniffedFormat.PaddleLite;
        if (Lite.LiteModelReader.LooksLikeNaiveProgram(head)) return SniffedFormat.PaddleLiteNaiveProgram;
        if (head.Length >= 8 && head[..4].IndexOfAnyExcept((byte)0) < 0 && head[4..8].IndexOfAnyExcept((byte)0) < 0) return SniffedFormat.ParameterStream;
        // ProgramDesc starts with field 1 (blocks), length-delimited: tag 0x0A.
        if (head.Length >= 2 && head[0] == 0x0A) return SniffedFormat.ProgramDesc;
        return SniffedFormat.Unknown;
    }
}
