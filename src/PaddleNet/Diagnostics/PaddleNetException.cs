namespace PaddleNet;

/// <summary>Root of every error PaddleNet raises on purpose: bad files, unknown ops, wrong shapes.</summary>
public class PaddleNetException : Exception
{
    public PaddleNetException(string message) : base(message) { }
    public PaddleNetException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A model file (program or parameters) is malformed, truncated or inconsistent.</summary>
public sealed class ModelFormatException : PaddleNetException
{
    public ModelFormatException(string? modelPath, string message, long? offset = null, string? field = null, Exception? inner = null)
        : base(Compose(modelPath, message, offset, field), inner)
    {
        ModelPath = modelPath;
        Offset = offset;
        Field = field;
    }

    /// <summary>The file (or "&lt;memory&gt;") the problem was found in.</summary>
    public string? ModelPath { get; }

    /// <summary>Byte offset in that file, where known.</summary>
    public long? Offset { get; }

    /// <summary>The field, variable or attribute being read, where known.</summary>
    public string? Field { get; }

    private static string Compose(string? path, string message, long? offset, string? field)
    {
        var where = path ?? "<memory>";
        if (offset is long o) where += $" at byte {o}";
        if (field is not null) where += $" ({field})";
        return $"{where}: {message}";
    }
}

/// <summary>The program uses an operator PaddleNet cannot run (or a form of it it does not support).</summary>
public sealed class UnsupportedOperatorException : PaddleNetException
{
    public UnsupportedOperatorException(string? modelPath, string opType, int blockIndex, int opIndex, string? detail = null)
        : base($"{modelPath ?? "<memory>"}: operator '{opType}' (block {blockIndex}, op #{opIndex}) is not supported" + (detail is null ? "" : $": {detail}"))
    {
        ModelPath = modelPath;
        OpType = opType;
        BlockIndex = blockIndex;
        OpIndex = opIndex;
        Detail = detail;
    }

    public string? ModelPath { get; }
    public string OpType { get; }
    public int BlockIndex { get; }
    public int OpIndex { get; }

    /// <summary>What exactly is unsupported (an attribute form, a slot), or null when the op type itself has no kernel.</summary>
    public string? Detail { get; }
}

/// <summary>A tensor's shape or type does not fit what an input or an operator expects.</summary>
public sealed class ShapeMismatchException : PaddleNetException
{
    public ShapeMismatchException(string subject, string expected, string actual, string? opType = null)
        : base($"{(opType is null ? "" : $"operator '{opType}': ")}{subject}: expected {expected}, got {actual}")
    {
        Subject = subject;
        OpType = opType;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The input, output or variable name concerned.</summary>
    public string Subject { get; }
    public string? OpType { get; }
    public string Expected { get; }
    public string Actual { get; }
}
