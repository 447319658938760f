namespace PaddleNet;

/// <summary>Root of every error PaddleNet raises on purpose: bad files, unknown ops, wrong shapes.</summary>
public class PaddleNetException : Exception
{
    /// <summary>An error described by <paramref name="message"/>.</summary>
    public PaddleNetException(string message) : base(message) { }
    /// <summary>An error described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public PaddleNetException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A model file (program or parameters) is malformed, truncated or inconsistent.</summary>
public sealed class ModelFormatException : PaddleNetException
{
    /// <summary>A malformed model file: <paramref name="message"/> with, when known, the byte <paramref name="offset"/> and <paramref name="field"/> where it went wrong.</summary>
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
    /// <summary>Operator <paramref name="opIndex"/> of block <paramref name="blockIndex"/> has type <paramref name="opType"/>, which PaddleNet cannot run.</summary>
    public UnsupportedOperatorException(string? modelPath, string opType, int blockIndex, int opIndex, string? detail = null)
        : base($"{modelPath ?? "<memory>"}: operator '{opType}' (block {blockIndex}, op #{opIndex}) is not supported" + (detail is null ? "" : $": {detail}"))
    {
        ModelPath = modelPath;
        OpType = opType;
        BlockIndex = blockIndex;
        OpIndex = opIndex;
        Detail = detail;
    }

    /// <summary>The model file, when known.</summary>
    public string? ModelPath { get; }
    /// <summary>The operator type.</summary>
    public string OpType { get; }
    /// <summary>Index of the block holding the operator.</summary>
    public int BlockIndex { get; }
    /// <summary>Index of the operator in its block.</summary>
    public int OpIndex { get; }

    /// <summary>What exactly is unsupported (an attribute form, a slot), or null when the op type itself has no kernel.</summary>
    public string? Detail { get; }
}

/// <summary>A tensor's shape or type does not fit what an input or an operator expects.</summary>
public sealed class ShapeMismatchException : PaddleNetException
{
    /// <summary><paramref name="subject"/> was <paramref name="actual"/> where <paramref name="expected"/> was needed (in operator <paramref name="opType"/>, when given).</summary>
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
    /// <summary>The operator type, when the mismatch is inside one.</summary>
    public string? OpType { get; }
    /// <summary>What was needed.</summary>
    public string Expected { get; }
    /// <summary>What was found.</summary>
    public string Actual { get; }
}
