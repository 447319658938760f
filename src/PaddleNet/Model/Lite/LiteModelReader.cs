using System.Buffers.Binary;

namespace PaddleNet.Model.Lite;

/// <summary>What a Paddle Lite model file holds once read.</summary>
internal sealed record LiteModel(Program Program, Dictionary<string, Tensor> Parameters, string? LiteVersion, int MetaVersion, long ProducerVersion);

/// <summary>
/// Reads Paddle Lite optimized models (formats.md §4) into the common <see cref="Program"/> plus
/// parameters: single-file <c>.nb</c> with meta_version 0 (naive buffer), 1 (FlatBuffers program,
/// one FlatBuffers CombinedParamsDesc) or 2 (FlatBuffers program, streamed per-parameter
/// FlatBuffers), and the headerless two-file naive layout (<c>__model__.nb</c> + <c>param.nb</c>).
/// Op types, slots and attributes are kept as Lite names them; int8/int16 weight-only quantised
/// weights are dequantised and fp16 weights widened to float32 (<see cref="LiteWeights"/>).
/// </summary>
internal static class LiteModelReader
{
    public const int HeaderSize = 26;
    private const int MaxRank = 9;
    private const int MaxBlocks = 1 << 16;

    /// <summary>A `.nb` header: meta_version 0..2, then a printable, NUL-terminated version string.</summary>
    public static bool LooksLikeHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 3 || head[0] > 2 || head[1] != 0) return false;
        int n = 0;
        while (n < 16 && 2 + n < head.Length && head[2 + n] != 0)
        {
            if (head[2 + n] is < 0x21 or > 0x7E) return false;
            n++;
        }
        if (n == 0) return false;
        // Lite ≥ 2.3 writes `v2.x`; the oldest meta_version 0 files hold a git hash ("7735976").
        return head[2] == (byte)'v' || (n >= 6 && (2 + n == head.Length || n == 16 || head[2 + n] == 0));
    }

    /// <summary>The headerless naive-buffer ProgramDesc of the two-file layout: uint64 block count, then block 0 {idx 0, parent -1}.</summary>
    public static bool LooksLikeNaiveProgram(ReadOnlySpan<byte> head) =>
        head.Length >= 16
        && BinaryPrimitives.ReadUInt64LittleEndian(head) is >= 1 and < 1024
        && BinaryPrimitives.ReadInt32LittleEndian(head[8..]) == 0
        && BinaryPrimitives.ReadInt32LittleEndian(head[12..]) == -1;

    /// <summary>Reads a single-file `.nb` (header + program + parameters).</summary>
    public static LiteModel Read(byte[] file, string? path)
    {
        if (file.Length < HeaderSize) throw new ModelFormatException(path, $"a Paddle Lite .nb file needs a {HeaderSize}-byte header, the file has {file.Length} bytes", 0, "header");
        int meta = BinaryPrimitives.ReadUInt16LittleEndian(file);
        if (meta > 2) throw new ModelFormatException(path, $"unsupported Paddle Lite meta_version {meta} (known: 0, 1, 2)", 0, "meta_version");
        int nul = Array.IndexOf(file, (byte)0, 2, 16);
        var version = System.Text.Encoding.ASCII.GetString(file, 2, (nul < 0 ? 18 : nul) - 2);
        ulong topo = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(18));
        if (topo > (ulong)(file.Length - HeaderSize)) throw new ModelFormatException(path, $"topology size {topo} runs past the end of the file ({file.Length - HeaderSize} bytes after the header)", 18, "topo_size");
        int topoEnd = HeaderSize + (int)topo;
        Program program;
        long producer;
        Dictionary<string, Tensor> parameters;
        if (meta == 0)
        {
            var nb = new NaiveBuffer(file, HeaderSize, topoEnd, path, "naive-buffer program");
            (program, producer) = ReadNaiveProgram(nb);
            parameters = ReadNaiveParams(new NaiveBuffer(file, topoEnd, file.Length, path, "naive-buffer parameters"));
        }
        else
        {
            (program, producer) = ReadFlatProgram(new FlatBuffer(file, HeaderSize, topoEnd, path, "FlatBuffers program"));
            parameters = meta == 2 ? ReadParamStream(file, topoEnd, path) : ReadCombinedFlatParams(file, topoEnd, path);
        }
        LiteWeights.Finish(program, parameters, path);
        LiteProgramFixups.Apply(program);
        return new LiteModel(program, parameters, version, meta, Sane(producer));
    }

    /// <summary>Reads the two-file layout: a headerless naive program and (optionally) a naive CombinedParamsDesc.</summary>
    public static LiteModel ReadTwoFile(byte[] model, string? modelPath, byte[]? param, string? paramPath)
    {
        var (program, producer) = ReadNaiveProgram(new NaiveBuffer(model, 0, model.Length, modelPath, "naive-buffer program"));
        var parameters = param is null
            ? new Dictionary<string, Tensor>(StringComparer.Ordinal)
            : ReadNaiveParams(new NaiveBuffer(param, 0, param.Length, paramPath ?? "<parameters>", "naive-buffer parameters"));
        if (param is not null) LiteWeights.Finish(program, parameters, paramPath);
        LiteProgramFixups.Apply(program);
        return new LiteModel(program, parameters, null, 0, Sane(producer));
    }

    // ---------------------------------------------------------------- FlatBuffers program (§4.2)

    private static (Program, long) ReadFlatProgram(FlatBuffer fb)
    {
        var root = fb.Root();
        var blocks = root.Vector(0, 4, "ProgramDesc.blocks");
        if (blocks.Count == 0) throw fb.Error("the program has no blocks", root.Pos, "ProgramDesc.blocks");
        if (blocks.Count > MaxBlocks) throw fb.Error($"{blocks.Count} blocks", root.Pos, "ProgramDesc.blocks");
        long producer = root.Table(1, "ProgramDesc.version")?.Int64(0, -1, "Version.version") ?? -1;
        var program = new Program();
        for (int b = 0; b < blocks.Count; b++)
        {
            var bt = blocks.Table(b);
            var block = new Block(bt.Int32(0, b, "BlockDesc.idx"), bt.Int32(1, -1, "BlockDesc.parent_idx"));
            if (block.Index != b) throw fb.Error($"block #{b} says idx {block.Index}", bt.Pos, "BlockDesc.idx");
            var vars = bt.Vector(2, 4, "BlockDesc.vars");
            for (int i = 0; i < vars.Count; i++)
            {
                var v = FlatVar(vars.Table(i), b);
                if (!block.Vars.TryAdd(v.Name, v)) throw fb.Error($"variable '{v.Name}' is declared twice in block {b}", vars.Pos + 4 * i, v.Name);
            }
            var ops = bt.Vector(3, 4, "BlockDesc.ops");
            for (int i = 0; i < ops.Count; i++) block.Ops.Add(FlatOp(ops.Table(i), b, i, blocks.Count));
            program.Blocks.Add(block);
        }
        return (program, producer);
    }

    private static Variable FlatVar(FbTable t, int block)
    {
        var name = t.String(0, "VarDesc.name");
        if (string.IsNullOrEmpty(name)) throw t.Buf.Error($"a variable in block {block} has no name", t.Pos, "VarDesc.name");
        var vt = t.Table(1, $"{name}.type");
        int code = vt?.Int32(0, -1, $"{name}.type.type") ?? -1;
        var kind = code switch { 7 => VarKind.DenseTensor, 9 => VarKind.FeedList, 10 => VarKind.FetchList, 13 => VarKind.TensorArray, _ => VarKind.Other };
        DataType? dtype = null;
        long[] dims = [];
        FbTable? lod = kind switch
        {
            VarKind.DenseTensor => vt!.Value.Table(2, $"{name}.type.lod_tensor"),
            VarKind.TensorArray => vt!.Value.Table(3, $"{name}.type.tensor_array"),
            _ => null,
        };
        if (lod?.Table(0, $"{name}.tensor") is FbTable td)
        {
            if (DataTypes.TryFromPaddle(td.Int32(0, -1, $"{name}.tensor.data_type"), out var d)) dtype = d;
            var dv = td.Vector(1, 8, $"{name}.tensor.dims");
            if (dv.Count > 16) throw t.Buf.Error($"variable '{name}' has rank {dv.Count}", dv.Pos, name);
            dims = dv.Int64s();
            if (Variable.DimsProblem(dims) is { } problem) throw t.Buf.Error($"variable '{name}': {problem}", dv.Pos, name);
        }
        return new Variable(name, kind, dtype, dims, t.Bool(2, false, $"{name}.persistable"));
    }

    private static Operator FlatOp(FbTable t, int block, int index, int blockCount)
    {
        var type = t.String(0, "OpDesc.type");
        if (string.IsNullOrEmpty(type)) throw t.Buf.Error($"operator #{index} in block {block} has no type", t.Pos, "OpDesc.type");
        var op = new Operator(type);
        for (int side = 0; side < 2; side++)
        {
            var slots = t.Vector(1 + side, 4, $"{type}.{(side == 0 ? "inputs" : "outputs")}");
            var into = side == 0 ? op.Inputs : op.Outputs;
            for (int i = 0; i < slots.Count; i++)
            {
                var s = slots.Table(i);
                var slot = s.String(0, $"{type}.slot") ?? throw t.Buf.Error("a slot has no name", s.Pos, $"{type}.slot");
                into[slot] = s.Vector(1, 4, $"{type}.{slot}").Strings();
            }
        }
        var attrs = t.Vector(3, 4, $"{type}.attrs");
        for (int i = 0; i < attrs.Count; i++)
        {
            var a = attrs.Table(i);
            var name = a.String(0, $"{type}.attr.name") ?? throw t.Buf.Error("an attribute has no name", a.Pos, $"{type}.attr");
            string f = $"{type}.{name}";
            int at = a.Int32(1, 0, f);
            object value = at switch
            {
                0 => (long)a.Int32(2, 0, f),
                1 => (double)a.Float(3, 0, f),
                2 => a.String(4, f) ?? "",
                3 => a.Vector(5, 4, f).Int32s(),
                4 => a.Vector(6, 4, f).Floats(),
                5 => a.Vector(7, 4, f).Strings(),
                6 => a.Bool(8, false, f),
                7 => a.Vector(9, 1, f).Bools(),
                8 => Block(a.Int32(10, 0, f), blockCount, t.Buf, a.Pos, f),
                9 => a.Int64(11, 0, f),
                10 => a.Vector(12, 4, f).Int32s(),
                11 => a.Vector(13, 8, f).Int64s(),
                12 => a.Vector(15, 8, f).Doubles(),
                15 => a.Double(14, 0, f),
                _ => throw t.Buf.Error($"unsupported attribute type {at}", a.Pos, f),
            };
            op.Attributes.Set(name, value);
        }
        return op;
    }

    private static BlockRef Block(int idx, int blockCount, FlatBuffer fb, int at, string field) =>
        idx >= 0 && idx < blockCount ? new BlockRef(idx) : throw fb.Error($"block index {idx} is out of range (0..{blockCount - 1})", at, field);

    // ---------------------------------------------------------------- parameters, meta_version 2 (§4.3) and 1 (§4.4)

    private static Dictionary<string, Tensor> ReadParamStream(byte[] file, int start, string? path)
    {
        var nb = new NaiveBuffer(file, start, file.Length, path, "parameter section");
        int at = nb.Pos;
        int version = (ushort)U16(nb, "params_version");
        if (version != 0) throw nb.Error($"params_version should be 0, found {version}", at, "params_version");
        int metaSize = U16(nb, "meta_size");
        Skip(nb, metaSize, "meta");
        int headerSize = U16(nb, "header_size");
        if (headerSize < 2) throw nb.Error($"header_size {headerSize} is too small for the parameter count", nb.Pos - 2, "header_size");
        int headerEnd = nb.Pos + headerSize;
        int count = U16(nb, "param_count");
        Skip(nb, headerEnd - nb.Pos, "header");
        var result = new Dictionary<string, Tensor>(Math.Min(count, nb.Remaining / 8), StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int recordAt = nb.Pos;
            uint total = nb.UInt32($"param #{i} total_size");
            int body = nb.Pos;
            if (total < 4 || total > (uint)nb.Remaining) throw nb.Error($"parameter #{i} of {count}: record size {total} is invalid ({nb.Remaining} bytes left)", recordAt, "total_size");
            uint offset = nb.UInt32($"param #{i} offset");
            if (offset < 4 || offset > total) throw nb.Error($"parameter #{i}: offset {offset} is outside its {total}-byte record", body, "offset");
            var (name, tensor) = FlatParam(new FlatBuffer(file, body + (int)offset, body + (int)total, path, $"parameter #{i}"));
            if (!result.TryAdd(name, tensor)) throw nb.Error($"parameter '{name}' appears twice", recordAt, name);
            Skip(nb, body + (int)total - nb.Pos, "record");
        }
        if (nb.Remaining != 0) throw nb.Error($"{nb.Remaining} bytes remain after the {count} parameters", nb.Pos, "parameters");
        return result;
    }

    private static Dictionary<string, Tensor> ReadCombinedFlatParams(byte[] file, int start, string? path)
    {
        var fb = new FlatBuffer(file, start, file.Length, path, "CombinedParamsDesc");
        var list = fb.Root().Vector(0, 4, "CombinedParamsDesc.params");
        var result = new Dictionary<string, Tensor>(list.Count, StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            var (name, tensor) = FlatParamTable(list.Table(i));
            if (!result.TryAdd(name, tensor)) throw fb.Error($"parameter '{name}' appears twice", list.Pos + 4 * i, name);
        }
        return result;
    }

    private static (string, Tensor) FlatParam(FlatBuffer fb) => FlatParamTable(fb.Root());

    private static (string, Tensor) FlatParamTable(FbTable p)
    {
        var fb = p.Buf;
        var name = p.String(1, "ParamDesc.name");
        if (string.IsNullOrEmpty(name)) throw fb.Error("a parameter has no name", p.Pos, "ParamDesc.name");
        int kind = p.UInt8(2, 0, $"{name}.variable_type");
        if (kind != 1) throw fb.Error($"variable type {kind} is not a LoDTensorDesc (1)", p.Pos, $"{name}.variable_type");
        var t = p.Table(3, $"{name}.variable") ?? throw fb.Error("the parameter has no tensor", p.Pos, $"{name}.variable");
        var dims = t.Vector(2, 8, $"{name}.dim").Int64s();
        int code = t.Int32(3, -1, $"{name}.data_type");
        var data = t.Vector(4, 1, $"{name}.data");
        return (name, MakeTensor(code, dims, data.Pos, data.Count, fb.Data, fb.Path, name, t.Pos));
    }

    // ---------------------------------------------------------------- naive buffer (§4.5)

    /// <summary>Naive-buffer dtype/var-type enum (sequential) → protobuf VarType.Type numbers.</summary>
    private static int NaiveToProto(int code) => code switch
    {
        >= 0 and <= 6 => code,
        7 => 19,   // SIZE_T
        8 => 20,   // UINT8
        9 => 21,   // INT8
        10 => 7,   // LOD_TENSOR
        11 => 8,   // SELECTED_ROWS
        12 => 9,   // FEED_MINIBATCH
        13 => 10,  // FETCH_LIST
        14 => 11,  // STEP_SCOPES
        15 => 12,  // LOD_RANK_TABLE
        16 => 13,  // LOD_TENSOR_ARRAY
        17 => 14,  // PLACE_LIST
        18 => 15,  // READER
        19 => 17,  // RAW
        20 => 18,  // TUPLE
        _ => -1,
    };

    private static (Program, long) ReadNaiveProgram(NaiveBuffer nb)
    {
        int blockCount = nb.Count(28, "ProgramDesc.blocks");
        if (blockCount == 0) throw nb.Error("the program has no blocks", nb.Pos - 8, "ProgramDesc.blocks");
        var program = new Program();
        for (int b = 0; b < blockCount; b++)
        {
            int at = nb.Pos;
            var block = new Block(nb.Int32("BlockDesc.idx"), nb.Int32("BlockDesc.parent_idx"));
            if (block.Index != b) throw nb.Error($"block #{b} says idx {block.Index}", at, "BlockDesc.idx");
            int varCount = nb.Count(8, "BlockDesc.vars");
            for (int i = 0; i < varCount; i++)
            {
                // Old Lite (≤ 2.6) naive programs declare a reused name once per producer; keep the
                // most informative declaration (persistable, or with dims) and the first otherwise.
                var v = NaiveVar(nb);
                if (!block.Vars.TryGetValue(v.Name, out var seen)
                    || (v.Persistable && !seen.Persistable)
                    || (v.Persistable == seen.Persistable && seen.Dims.Length == 0 && v.Dims.Length > 0))
                {
                    block.Vars[v.Name] = v;
                }
            }
            int opCount = nb.Count(8, "BlockDesc.ops");
            for (int i = 0; i < opCount; i++) block.Ops.Add(NaiveOp(nb, b, i, blockCount));
            nb.Int32("BlockDesc.forward_block_idx");
            program.Blocks.Add(block);
        }
        long version = nb.Int64("ProgramDesc.version");
        if (nb.Remaining != 0) throw nb.Error($"{nb.Remaining} bytes remain after the program", nb.Pos, "ProgramDesc");
        return (program, version);
    }

    private static (int Type, long[] Dims) NaiveTensorDesc(NaiveBuffer nb, string field)
    {
        int type = nb.Int32($"{field}.data_type");
        var dims = nb.Int64List($"{field}.dims");
        return (type, dims);
    }

    private static Variable NaiveVar(NaiveBuffer nb)
    {
        int at = nb.Pos;
        var name = nb.String("VarDesc.name");
        if (name.Length == 0) throw nb.Error("a variable has no name", at, "VarDesc.name");
        int code = NaiveToProto(nb.Int32($"{name}.type"));
        NaiveTensorDesc(nb, $"{name}.selected_rows");
        var lod = NaiveTensorDesc(nb, $"{name}.lod_tensor");
        nb.Int32($"{name}.lod_tensor.lod_level");
        var arr = NaiveTensorDesc(nb, $"{name}.tensor_array");
        nb.Int32($"{name}.tensor_array.lod_level");
        int readers = nb.Count(16, $"{name}.reader");
        for (int i = 0; i < readers; i++)
        {
            NaiveTensorDesc(nb, $"{name}.reader");
            nb.Int32($"{name}.reader.lod_level");
        }
        nb.Int32List($"{name}.tuple");
        bool persistable = nb.Bool($"{name}.persistable");
        var kind = code switch { 7 => VarKind.DenseTensor, 9 => VarKind.FeedList, 10 => VarKind.FetchList, 13 => VarKind.TensorArray, _ => VarKind.Other };
        DataType? dtype = null;
        long[] dims = [];
        if (kind is VarKind.DenseTensor or VarKind.TensorArray)
        {
            var td = kind == VarKind.DenseTensor ? lod : arr;
            // Old (≤ 2.6) naive programs leave activations' descs blank (dtype 0 = BOOL, no dims): unknown, not bool.
            bool blank = td.Type == 0 && td.Dims.Length == 0 && !persistable;
            if (!blank && DataTypes.TryFromPaddle(NaiveToProto(td.Type), out var d)) dtype = d;
            if (td.Dims.Length > 16) throw nb.Error($"variable '{name}' has rank {td.Dims.Length}", at, name);
            dims = td.Dims;
            if (Variable.DimsProblem(dims) is { } problem) throw nb.Error($"variable '{name}': {problem}", at, name);
        }
        return new Variable(name, kind, dtype, dims, persistable);
    }

    private static Operator NaiveOp(NaiveBuffer nb, int block, int index, int blockCount)
    {
        int at = nb.Pos;
        var type = nb.String("OpDesc.type");
        if (type.Length == 0) throw nb.Error($"operator #{index} in block {block} has no type", at, "OpDesc.type");
        var op = new Operator(type);
        for (int side = 0; side < 2; side++)
        {
            var into = side == 0 ? op.Inputs : op.Outputs;
            int n = nb.Count(16, $"{type}.{(side == 0 ? "inputs" : "outputs")}");
            for (int i = 0; i < n; i++)
            {
                var slot = nb.String($"{type}.slot");
                into[slot] = nb.StringList($"{type}.{slot}");
            }
        }
        int attrCount = nb.Count(8, $"{type}.attrs");
        for (int i = 0; i < attrCount; i++)
        {
            int aAt = nb.Pos;
            var name = nb.String($"{type}.attr.name");
            string f = $"{type}.{name}";
            int at2 = nb.Int32(f);
            long iv = nb.Int32(f);
            double fv = nb.Float(f);
            var s = nb.String(f);
            var ints = nb.Int32List(f);
            var floats = nb.FloatList(f);
            var strings = nb.StringList(f);
            bool b = nb.Bool(f);
            var bools = nb.BoolList(f);
            int blockIdx = nb.Int32(f);
            long l = nb.Int64(f);
            var blocksIdx = nb.Int32List(f);
            var longs = nb.Int64List(f);
            object value = at2 switch
            {
                0 => iv,
                1 => fv,
                2 => s,
                3 => ints,
                4 => floats,
                5 => strings,
                6 => b,
                7 => bools,
                8 => blockIdx >= 0 && blockIdx < blockCount ? new BlockRef(blockIdx) : throw nb.Error($"block index {blockIdx} is out of range (0..{blockCount - 1})", aAt, f),
                9 => l,
                10 => blocksIdx,
                11 => longs,
                _ => throw nb.Error($"unsupported attribute type {at2}", aAt, f),
            };
            op.Attributes.Set(name, value);
        }
        nb.Bool($"{type}.is_target");
        return op;
    }

    private static Dictionary<string, Tensor> ReadNaiveParams(NaiveBuffer nb)
    {
        int count = nb.Count(40, "CombinedParamsDesc.params");
        var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int at = nb.Pos;
            var name = nb.String("ParamDesc.name");
            if (name.Length == 0) throw nb.Error($"parameter #{i} has no name", at, "ParamDesc.name");
            nb.UInt32($"{name}.model_version");
            nb.UInt64($"{name}.lod_level");
            int levels = nb.Count(8, $"{name}.lod");
            for (int k = 0; k < levels; k++) nb.Int64List($"{name}.lod");
            int tvAt = nb.Pos;
            uint tensorVersion = nb.UInt32($"{name}.tensor_version");
            if (tensorVersion != 0) throw nb.Error($"tensor version should be 0, found {tensorVersion}", tvAt, name);
            var (code, dims) = NaiveTensorDesc(nb, name);
            var (offset, length) = nb.Bytes($"{name}.data");
            var tensor = MakeTensor(NaiveToProto(code), dims, offset, length, nb.Data, nb.Path, name, at);
            if (!result.TryAdd(name, tensor)) throw nb.Error($"parameter '{name}' appears twice", at, name);
        }
        if (nb.Remaining != 0) throw nb.Error($"{nb.Remaining} bytes remain after the {count} parameters", nb.Pos, "parameters");
        return result;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Old naive programs may hold an uninitialised version; anything beyond 99.999.999 means "not recorded".</summary>
    private static long Sane(long producer) => producer is >= 0 and < 100_000_000 ? producer : -1;

    private static Tensor MakeTensor(int code, long[] dims, int dataAt, int dataLength, byte[] file, string? path, string name, int at)
    {
        if (!DataTypes.TryFromPaddle(code, out var dtype))
        {
            throw new ModelFormatException(path, $"unsupported data type code {code}", at, name);
        }
        if (dims.Length > MaxRank) throw new ModelFormatException(path, $"rank {dims.Length} exceeds {MaxRank}", at, name);
        var shape = new int[dims.Length];
        long numel = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = dims[i];
            if (d < 0 || d > int.MaxValue) throw new ModelFormatException(path, $"dimension {i} is {d}", at, name);
            shape[i] = (int)d;
            numel = d == 0 ? 0 : (numel > long.MaxValue / d ? long.MaxValue : numel * d);
        }
        long needed = numel > dataLength ? long.MaxValue : numel * dtype.SizeOf();
        if (needed != dataLength)
        {
            throw new ModelFormatException(path, $"tensor {dtype.Name()}[{string.Join(", ", shape)}] needs {(needed == long.MaxValue ? "more than " + dataLength : needed.ToString())} bytes, the record holds {dataLength}", dataAt, name);
        }
        return new Tensor(dtype, shape, file.AsSpan(dataAt, dataLength).ToArray());
    }

    private static int U16(NaiveBuffer nb, string field) => nb.UInt16(field);

    private static void Skip(NaiveBuffer nb, int n, string field) => nb.Advance(n, field);
}
