namespace PaddleNet.Model;

/// <summary>What a variable holds (Paddle's VarType.Type kinds that matter to an engine).</summary>
internal enum VarKind
{
    DenseTensor,
    FeedList,
    FetchList,
    TensorArray,
    Other,
}

/// <summary>A declared variable. Dims use -1 for unknown (dynamic) sizes.</summary>
internal sealed class Variable
{
    /// <summary>Why declared dims are unusable, or null: an element count past 2^63. Negative sizes are "unknown"
    /// here (real exports carry -1 and also products such as -16 for activations); weights are checked against
    /// their data when read.</summary>
    internal static string? DimsProblem(long[] dims)
    {
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = dims[i];
            if (d > 0 && count > long.MaxValue / d) return $"the element count of [{string.Join(", ", dims)}] overflows a 64-bit integer";
            if (d > 0) count *= d;
        }

        return null;
    }

    public Variable(string name, VarKind kind, DataType? dataType, long[] dims, bool persistable)
    {
        Name = name;
        Kind = kind;
        DataType = dataType;
        Dims = dims;
        Persistable = persistable;
    }

    public string Name { get; }
    public VarKind Kind { get; }
    public DataType? DataType { get; set; }
    public long[] Dims { get; set; }
    public bool Persistable { get; }

    /// <summary>True for the tensors a parameter stream holds (Paddle's IsPersistable filter, formats.md §1.3).</summary>
    public bool IsParameter => Persistable && Kind is VarKind.DenseTensor;
}

/// <summary>
/// One operator in the common vocabulary: legacy Paddle op types, slot names and attribute
/// names. PIR programs are normalised into this form (see <see cref="Pir.PirProgramReader"/>).
/// </summary>
internal sealed class Operator
{
    public Operator(string type)
    {
        Type = type;
    }

    public string Type { get; set; }
    public Dictionary<string, string[]> Inputs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string[]> Outputs { get; } = new(StringComparer.Ordinal);
    public AttributeMap Attributes { get; } = new();

    /// <summary>The single variable in an input slot, or null when the slot is absent or empty.</summary>
    public string? Input(string slot) => Inputs.TryGetValue(slot, out var a) && a.Length > 0 ? a[0] : null;

    public string? Output(string slot) => Outputs.TryGetValue(slot, out var a) && a.Length > 0 ? a[0] : null;

    public string[] InputList(string slot) => Inputs.TryGetValue(slot, out var a) ? a : [];

    public string[] OutputList(string slot) => Outputs.TryGetValue(slot, out var a) ? a : [];

    public override string ToString() =>
        $"{Type}({string.Join(", ", Inputs.Select(kv => $"{kv.Key}=[{string.Join(",", kv.Value)}]"))}) -> " +
        string.Join(", ", Outputs.Select(kv => $"{kv.Key}=[{string.Join(",", kv.Value)}]"));
}

internal sealed class Block
{
    public Block(int index, int parentIndex)
    {
        Index = index;
        ParentIndex = parentIndex;
    }

    public int Index { get; }
    public int ParentIndex { get; }

    /// <summary>Variables by name, in declaration order.</summary>
    public Dictionary<string, Variable> Vars { get; } = new(StringComparer.Ordinal);

    /// <summary>Operators in execution order.</summary>
    public List<Operator> Ops { get; } = new();
}

/// <summary>A program: block 0 is the main block; other blocks are control-flow bodies.</summary>
internal sealed class Program
{
    public List<Block> Blocks { get; } = new();

    public Block Main => Blocks[0];
}
