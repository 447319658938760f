using Google.Protobuf;
using PaddleNet.Model.Legacy.Proto;

namespace PaddleNet.Model.Legacy;

/// <summary>Reads a ProgramDesc protobuf (<c>*.pdmodel</c>, <c>__model__</c>; formats.md §1) into a <see cref="Program"/>.</summary>
internal static class LegacyProgramReader
{
    public static (Program Program, long ProducerVersion) Read(ReadOnlySpan<byte> bytes, string? path)
    {
        if (bytes.Length == 0) throw new ModelFormatException(path, "the program file is empty");
        ProgramDesc desc;
        try
        {
            desc = ProgramDesc.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(path, $"not a valid ProgramDesc protobuf: {e.Message}", inner: e);
        }
        if (desc.Blocks.Count == 0) throw new ModelFormatException(path, "the program has no blocks", field: "blocks");

        var program = new Program();
        for (int b = 0; b < desc.Blocks.Count; b++)
        {
            var bd = desc.Blocks[b];
            var block = new Block(bd.HasIdx ? bd.Idx : b, bd.HasParentIdx ? bd.ParentIdx : -1);
            if (block.Index != b) throw new ModelFormatException(path, $"block #{b} says idx {block.Index}", field: "blocks.idx");
            foreach (var vd in bd.Vars)
            {
                var v = ConvertVar(vd, path, b);
                if (!block.Vars.TryAdd(v.Name, v)) throw new ModelFormatException(path, $"variable '{v.Name}' is declared twice in block {b}", field: v.Name);
            }
            for (int i = 0; i < bd.Ops.Count; i++) block.Ops.Add(ConvertOp(bd.Ops[i], path, b, i, desc.Blocks.Count));
            program.Blocks.Add(block);
        }
        return (program, desc.Version?.Version_ ?? -1);
    }

    private static Variable ConvertVar(VarDesc vd, string? path, int block)
    {
        if (string.IsNullOrEmpty(vd.Name)) throw new ModelFormatException(path, $"a variable in block {block} has no name", field: "vars.name");
        int typeCode = vd.Type?.Type ?? -1;
        var kind = typeCode switch
        {
            7 => VarKind.DenseTensor,
            9 => VarKind.FeedList,
            10 => VarKind.FetchList,
            13 => VarKind.TensorArray,
            _ => VarKind.Other,
        };
        DataType? dtype = null;
        long[] dims = [];
        var td = kind switch
        {
            VarKind.DenseTensor => vd.Type!.LodTensor?.Tensor,
            VarKind.TensorArray => vd.Type!.TensorArray?.Tensor,
            _ => null,
        };
        if (td is not null)
        {
            if (DataTypes.TryFromPaddle(td.DataType, out var t)) dtype = t;
            if (td.Dims.Count > 16) throw new ModelFormatException(path, $"variable '{vd.Name}' has rank {td.Dims.Count}", field: vd.Name);
            dims = td.Dims.ToArray();
            if (Variable.DimsProblem(dims) is { } problem) throw new ModelFormatException(path, $"variable '{vd.Name}': {problem}", field: vd.Name);
        }
        return new Variable(vd.Name, kind, dtype, dims, vd.Persistable);
    }

    private static Operator ConvertOp(OpDesc od, string? path, int block, int index, int blockCount)
    {
        if (string.IsNullOrEmpty(od.Type)) throw new ModelFormatException(path, $"operator #{index} in block {block} has no type", field: "ops.type");
        var op = new Operator(od.Type);
        foreach (var slot in od.Inputs) op.Inputs[slot.Parameter] = slot.Arguments.ToArray();
        foreach (var slot in od.Outputs) op.Outputs[slot.Parameter] = slot.Arguments.ToArray();
        foreach (var a in od.Attrs)
        {
            var value = ConvertAttr(a, path, od.Type, blockCount);
            if (value is not null) op.Attributes.Set(a.Name, value);
        }
        return op;
    }

    private static object? ConvertAttr(OpDesc.Types.Attr a, string? path, string opType, int blockCount)
    {
        string field = $"{opType}.{a.Name}";
        switch (a.Type)
        {
            case 0: return (long)a.I;
            case 1: return (double)a.F;
            case 2: return a.S;
            case 3: return a.Ints.Select(x => (long)x).ToArray();
            case 4: return a.Floats.Select(x => (double)x).ToArray();
            case 5: return a.Strings.ToArray();
            case 6: return a.B;
            case 7: return a.Bools.ToArray();
            case 8:
                if (a.BlockIdx < 0 || a.BlockIdx >= blockCount) throw new ModelFormatException(path, $"block index {a.BlockIdx} is out of range (0..{blockCount - 1})", field: field);
                return new BlockRef(a.BlockIdx);
            case 9: return a.L;
            case 10: return a.BlocksIdx.Select(x => (long)x).ToArray();
            case 11: return a.Longs.ToArray();
            case 12: return a.Float64S.ToArray();
            case 13: return new VarRef(a.VarName);
            case 14: return a.VarsName.ToArray();
            case 15: return a.Float64;
            case 16: return ScalarValue(a.Scalar);
            case 17:
                {
                    var values = a.Scalars.Select(ScalarValue).ToArray();
                    if (values.All(v => v is long)) return values.Cast<long>().ToArray();
                    if (values.All(v => v is bool)) return values.Cast<bool>().ToArray();
                    return values.Select(v => v switch { long l => (double)l, bool b => b ? 1.0 : 0.0, double d => d, _ => 0.0 }).ToArray();
                }
            default:
                throw new ModelFormatException(path, $"unknown attribute type {a.Type}", field: field);
        }
    }

    private static object ScalarValue(Scalar? s) => s?.Type switch
    {
        Scalar.Types.Type.Boolean => s.B,
        Scalar.Types.Type.Long => s.I,
        Scalar.Types.Type.Float64 => s.R,
        Scalar.Types.Type.Complex128 => s.C?.R ?? 0.0,
        _ => 0L,
    };

    /// <summary>"2.4.1" from 2004001; null when the file does not say; "develop" for 0.</summary>
    public static string? FormatVersion(long v) => v switch
    {
        < 0 => null,
        0 => "develop",
        _ => $"{v / 1_000_000}.{v / 1_000 % 1_000}.{v % 1_000}",
    };
}
