using System.Text.Json;

namespace PaddleNet.Model.Pir;

/// <summary>A PIR value type: a dense tensor (dtype + dims), a vector of them, or something else.</summary>
internal sealed record PirType(string Kind, DataType? DataType, long[] Dims, IReadOnlyList<PirType> Elements)
{
    public static readonly PirType Null = new("null", null, [], []);
    public bool IsVector => Kind == "0.t_vec";

    public bool IsArray => Kind == "1.t_tensor_array";
}

/// <summary>One op as written in the JSON, before normalisation.</summary>
internal sealed class PirOp
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    public required long[] Operands { get; init; }
    public required (long Id, PirType Type)[] Results { get; init; }
    public required Dictionary<string, object> Attributes { get; init; }
    public bool HasRegions => Regions.Count > 0;

    /// <summary>Nested regions (pd_op.if: then, else; pd_op.while: body), each a list of blocks.</summary>
    public IReadOnlyList<IReadOnlyList<PirBlock>> Regions { get; init; } = [];

    // builtin.parameter fields
    public string? ParameterName { get; init; }
    public bool Persistable { get; init; }
}

/// <summary>A block inside a control-flow op's region: its arguments (negative value ids) and its ops.</summary>
internal sealed record PirBlock((long Id, PirType Type)[] Args, List<PirOp> Ops);

/// <summary>Parses the PIR JSON layout (formats.md §3) into <see cref="PirOp"/>s, checking every field it reads.</summary>
internal static class PirJson
{
    public static (int Version, List<PirOp> Ops) Parse(ReadOnlySpan<byte> bytes, string? path)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new ModelFormatException(path, "the PIR JSON program is not valid UTF-8");
        }
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 128, CommentHandling = JsonCommentHandling.Skip });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"not valid JSON: {e.Message}", e.BytePositionInLine, inner: e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            var baseCode = Member(root, "base_code", path, JsonValueKind.Object);
            var magic = Member(baseCode, "magic", path, JsonValueKind.String).GetString();
            if (magic != "pir") throw new ModelFormatException(path, $"base_code.magic should be \"pir\", found \"{magic}\"", field: "base_code.magic");
            int version = baseCode.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var vi) ? vi : 0;
            var regions = Member(Member(root, "program", path, JsonValueKind.Object), "regions", path, JsonValueKind.Array);
            if (regions.GetArrayLength() != 1) throw new ModelFormatException(path, $"the program should have 1 region, found {regions.GetArrayLength()}", field: "program.regions");
            var blocks = Member(regions[0], "blocks", path, JsonValueKind.Array);
            if (blocks.GetArrayLength() != 1) throw new ModelFormatException(path, $"the region should have 1 block, found {blocks.GetArrayLength()}", field: "region_0.blocks");
            var opsJson = Member(blocks[0], "ops", path, JsonValueKind.Array);
            var ops = new List<PirOp>(opsJson.GetArrayLength());
            // Ops are numbered in program order, nested ones included, so every op has one index for messages.
            int index = 0;
            foreach (var o in opsJson.EnumerateArray()) ops.Add(ParseOp(o, ref index, path));
            return (version, ops);
        }
    }

    private static PirOp ParseOp(JsonElement o, ref int next, string? path)
    {
        int index = next++;
        if (o.ValueKind != JsonValueKind.Object) throw new ModelFormatException(path, $"op #{index} is not an object", field: "ops");
        var name = CompressDialect(Member(o, "#", path, JsonValueKind.String, index).GetString()!);
        if (name == "p") return ParseParameter(o, index, path);

        var operands = Array.Empty<long>();
        if (o.TryGetProperty("I", out var ins))
        {
            if (ins.ValueKind != JsonValueKind.Array) throw Bad(path, index, name, "I", "an array");
            operands = ins.EnumerateArray().Select(e => ValueId(e, path, index, name)).ToArray();
        }
        var results = Array.Empty<(long, PirType)>();
        if (o.TryGetProperty("O", out var outs))
        {
            if (outs.ValueKind != JsonValueKind.Array) throw Bad(path, index, name, "O", "an array");
            results = outs.EnumerateArray().Select(e => (ValueId(e, path, index, name), e.TryGetProperty("TT", out var tt) ? ParseType(tt, path, index) : PirType.Null)).ToArray();
        }
        var attrs = new Dictionary<string, object>(StringComparer.Ordinal);
        if (o.TryGetProperty("A", out var a))
        {
            if (a.ValueKind != JsonValueKind.Array) throw Bad(path, index, name, "A", "an array");
            foreach (var entry in a.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) throw Bad(path, index, name, "A", "an array of {N, AT} objects");
                var attrName = Member(entry, "N", path, JsonValueKind.String, index).GetString()!;
                if (!entry.TryGetProperty("AT", out var at)) throw Bad(path, index, name, $"A.{attrName}", "an object with AT");
                var value = ParseAttr(at, path, index, $"{name}.{attrName}");
                if (value is not null) attrs[attrName] = value;
            }
        }
        var regions = new List<IReadOnlyList<PirBlock>>();
        if (o.TryGetProperty("regions", out var r))
        {
            if (r.ValueKind != JsonValueKind.Array) throw Bad(path, index, name, "regions", "an array");
            foreach (var region in r.EnumerateArray())
            {
                var blocks = Member(region, "blocks", path, JsonValueKind.Array, index);
                var list = new List<PirBlock>(blocks.GetArrayLength());
                foreach (var block in blocks.EnumerateArray()) list.Add(ParseBlock(block, name, index, ref next, path));
                regions.Add(list);
            }
        }
        return new PirOp
        {
            Name = name,
            Index = index,
            Operands = operands,
            Results = results,
            Attributes = attrs,
            Regions = regions,
        };
    }

    private static PirBlock ParseBlock(JsonElement block, string owner, int ownerIndex, ref int next, string? path)
    {
        if (block.ValueKind != JsonValueKind.Object) throw Bad(path, ownerIndex, owner, "regions.blocks", "an array of block objects");
        var args = new List<(long, PirType)>();
        if (block.TryGetProperty("args", out var a))
        {
            if (a.ValueKind != JsonValueKind.Array) throw Bad(path, ownerIndex, owner, "regions.blocks.args", "an array");
            foreach (var arg in a.EnumerateArray())
            {
                if (arg.ValueKind != JsonValueKind.Object || !arg.TryGetProperty("#", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var v))
                {
                    throw Bad(path, ownerIndex, owner, "regions.blocks.args", "objects with an integer '#' id");
                }
                args.Add((v, arg.TryGetProperty("TT", out var tt) ? ParseType(tt, path, ownerIndex) : PirType.Null));
            }
        }
        var opsJson = Member(block, "ops", path, JsonValueKind.Array, ownerIndex);
        var ops = new List<PirOp>(opsJson.GetArrayLength());
        foreach (var o in opsJson.EnumerateArray()) ops.Add(ParseOp(o, ref next, path));
        return new PirBlock(args.ToArray(), ops);
    }

    /// <summary>Writers compress the known dialects to their ids (formats.md §3.3); accept the full spelling too.</summary>
    private static string CompressDialect(string name)
    {
        int dot = name.IndexOf('.');
        if (dot <= 0) return name;
        return name[..dot] switch
        {
            "builtin" => "0" + name[dot..],
            "pd_op" => "1" + name[dot..],
            "cf" => "2" + name[dot..],
            _ => name,
        };
    }

    private static PirOp ParseParameter(JsonElement o, int index, string? path)
    {
        var a = Member(o, "A", path, JsonValueKind.Array, index);
        if (a.GetArrayLength() < 4 || a[3].ValueKind != JsonValueKind.String) throw Bad(path, index, "p", "A", "[is_distributed, is_parameter, need_clip, name]");
        var paramName = a[3].GetString()!;
        if (paramName.Length == 0) throw Bad(path, index, "p", "A", "a non-empty parameter name");
        var result = Member(o, "O", path, JsonValueKind.Object, index);
        long id = ValueId(result, path, index, "p");
        var type = result.TryGetProperty("TT", out var tt) ? ParseType(tt, path, index) : PirType.Null;
        bool persistable = true;
        if (o.TryGetProperty("OA", out var oa) && oa.ValueKind == JsonValueKind.Array && oa.GetArrayLength() > 0 && oa[0].ValueKind == JsonValueKind.Number)
        {
            // Any integer is a flag; a number that is not one (2.5, 1e400) is a broken file, not an exception of JSON's.
            persistable = oa[0].TryGetInt64(out long flag) ? flag != 0 : throw Bad(path, index, "p", "OA", "an integer persistable flag");
        }
        return new PirOp
        {
            Name = "p",
            Index = index,
            Operands = [],
            Results = [(id, type)],
            Attributes = new Dictionary<string, object>(),
            ParameterName = paramName,
            Persistable = persistable,
        };
    }

    private static long ValueId(JsonElement e, string? path, int index, string op)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("%", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var v))
        {
            throw Bad(path, index, op, "%", "a value id");
        }
        return v;
    }

    internal static PirType ParseType(JsonElement tt, string? path, int index)
    {
        if (tt.ValueKind != JsonValueKind.Object || !tt.TryGetProperty("#", out var kindEl) || kindEl.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException(path, $"op #{index}: a type (TT) should be an object with '#'", field: "TT");
        }
        var kind = kindEl.GetString()!;
        switch (kind)
        {
            case "0.t_dtensor":
                {
                    if (!tt.TryGetProperty("D", out var d) || d.ValueKind != JsonValueKind.Array || d.GetArrayLength() < 2 || d[1].ValueKind != JsonValueKind.Array)
                    {
                        throw new ModelFormatException(path, $"op #{index}: a dense tensor type needs D = [dtype, dims, ...]", field: "TT.D");
                    }
                    DataType? dtype = d[0].ValueKind == JsonValueKind.Object && d[0].TryGetProperty("#", out var et) && et.ValueKind == JsonValueKind.String
                        ? ElementType(et.GetString()!) : null;
                    if (d[1].GetArrayLength() > 16) throw new ModelFormatException(path, $"op #{index}: rank {d[1].GetArrayLength()} is too large", field: "TT.D");
                    var dims = d[1].EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var n) ? n : throw new ModelFormatException(path, $"op #{index}: a dimension is not an integer", field: "TT.D")).ToArray();
                    if (Variable.DimsProblem(dims) is { } problem) throw new ModelFormatException(path, $"op #{index}: {problem}", field: "TT.D");
                    return new PirType(kind, dtype, dims, []);
                }
            case "1.t_tensor_array":
                {
                    // D = [element type, dims, layout]: only the element type matters here.
                    DataType? dtype = tt.TryGetProperty("D", out var d) && d.ValueKind == JsonValueKind.Array && d.GetArrayLength() > 0
                        && d[0].ValueKind == JsonValueKind.Object && d[0].TryGetProperty("#", out var et) && et.ValueKind == JsonValueKind.String
                        ? ElementType(et.GetString()!) : null;
                    return new PirType(kind, dtype, [], []);
                }
            case "0.t_vec":
                {
                    var elements = tt.TryGetProperty("D", out var d) && d.ValueKind == JsonValueKind.Array
                        ? d.EnumerateArray().Select(x => ParseType(x, path, index)).ToArray()
                        : [];
                    return new PirType(kind, null, [], elements);
                }
            default:
                return new PirType(kind, ElementType(kind), [], []);
        }
    }

    private static DataType? ElementType(string t) => t switch
    {
        "0.t_bool" => DataType.Bool,
        "0.t_i8" => DataType.Int8,
        "0.t_ui8" => DataType.UInt8,
        "0.t_i16" => DataType.Int16,
        "0.t_i32" => DataType.Int32,
        "0.t_i64" or "0.t_index" => DataType.Int64,
        "0.t_f16" => DataType.Float16,
        "0.t_bf16" => DataType.BFloat16,
        "0.t_f32" => DataType.Float32,
        "0.t_f64" => DataType.Float64,
        _ => null,
    };

    /// <summary>Converts an attribute to the width-agnostic form of <see cref="AttributeMap"/>; null = not meaningful here.</summary>
    private static object? ParseAttr(JsonElement at, string? path, int index, string field)
    {
        if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty("#", out var kindEl) || kindEl.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException(path, $"op #{index}: attribute should be an object with '#'", field: field);
        }
        var kind = kindEl.GetString()!;
        at.TryGetProperty("D", out var d);
        switch (kind)
        {
            case "0.a_bool":
                return d.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new ModelFormatException(path, $"op #{index}: a_bool should be true/false", field: field),
                };
            case "0.a_i32" or "0.a_i64" or "0.a_index":
                return d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var l) ? l
                    : throw new ModelFormatException(path, $"op #{index}: {kind} should be an integer", field: field);
            case "0.a_f32" or "0.a_f64":
                if (d.ValueKind == JsonValueKind.Number) return d.TryGetDouble(out double f) ? f : throw new ModelFormatException(path, $"op #{index}: {kind} value {d.GetRawText()} is not a double", field: field);
                if (at.TryGetProperty("VD", out var vd) && vd.ValueKind == JsonValueKind.String)
                {
                    return vd.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "INF" => double.PositiveInfinity,
                        "-INF" => double.NegativeInfinity,
                        var s => throw new ModelFormatException(path, $"op #{index}: unknown float marker '{s}'", field: field),
                    };
                }
                throw new ModelFormatException(path, $"op #{index}: {kind} should be a number", field: field);
            case "0.a_str" or "1.a_layout" or "0.a_tensorname":
                return d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new ModelFormatException(path, $"op #{index}: {kind} should be a string", field: field);
            case "1.a_intarray":
                if (d.ValueKind != JsonValueKind.Array) throw new ModelFormatException(path, $"op #{index}: a_intarray should be an array", field: field);
                return d.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var n) ? n : throw new ModelFormatException(path, $"op #{index}: a_intarray holds a non-integer", field: field)).ToArray();
            case "1.a_dtype":
                {
                    var s = d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
                    if (s.Length == 0 || s.StartsWith("undefined", StringComparison.OrdinalIgnoreCase)) return -1L;
                    return DataTypes.TryParseName(s, out var t) ? (long)t.ToPaddle() : throw new ModelFormatException(path, $"op #{index}: unsupported dtype '{s}'", field: field);
                }
            case "1.a_scalar":
                if (d.ValueKind == JsonValueKind.Array && d.GetArrayLength() == 2 && d[1].ValueKind == JsonValueKind.Number)
                {
                    return d[1].TryGetInt64(out var si) ? si : d[1].TryGetDouble(out double sf) ? sf
                        : throw new ModelFormatException(path, $"op #{index}: a_scalar value {d[1].GetRawText()} is not a double", field: field);
                }
                return null;
            case "0.a_array":
                {
                    if (d.ValueKind != JsonValueKind.Array) throw new ModelFormatException(path, $"op #{index}: a_array should be an array", field: field);
                    var items = d.EnumerateArray().Select(x => ParseAttr(x, path, index, field)).ToArray();
                    if (items.Length == 0) return Array.Empty<long>();
                    if (items.All(x => x is long)) return items.Cast<long>().ToArray();
                    if (items.All(x => x is long or double)) return items.Select(x => Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    if (items.All(x => x is bool)) return items.Cast<bool>().ToArray();
                    if (items.All(x => x is string)) return items.Cast<string>().ToArray();
                    return null;
                }
            default:
                // Places, types, complex numbers: nothing an inference engine needs.
                return null;
        }
    }

    private static JsonElement Member(JsonElement e, string name, string? path, JsonValueKind kind, int? op = null)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var m) || m.ValueKind != kind)
        {
            var where = op is int i ? $"op #{i}: " : "";
            throw new ModelFormatException(path, $"{where}'{name}' should be {Article(kind)}", field: name);
        }
        return m;
    }

    private static string Article(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => k.ToString().ToLowerInvariant(),
    };

    private static ModelFormatException Bad(string? path, int index, string op, string field, string expected) =>
        new(path, $"op #{index} ({op}): '{field}' should be {expected}", field: $"{op}.{field}");
}
