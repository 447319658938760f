using System.Buffers.Binary;
using Google.Protobuf;
using PaddleNet.Model.Legacy.Proto;

namespace PaddleNet.Model;

/// <summary>
/// Reads Paddle's serialized tensors ("LoDTensor streams", formats.md §2.1): combined
/// <c>.pdiparams</c>/<c>__params__</c> files and 1.x one-file-per-variable folders.
/// Every length is checked against the bytes that remain before anything is allocated.
/// </summary>
internal static class ParameterStream
{
    private const int MaxRank = 9;
    private const int MaxDescBytes = 1 << 16;
    private const int MaxLodLevels = 16;

    /// <summary>Reads one record at <paramref name="offset"/> and advances it.</summary>
    public static Tensor ReadRecord(ReadOnlySpan<byte> data, ref int offset, string? path, string varName)
    {
        int start = offset;
        uint version = ReadU32(data, ref offset, path, varName, "LoD-tensor version");
        if (version != 0) throw new ModelFormatException(path, $"LoD-tensor version should be 0, found {version}", start, varName);
        ulong lodLevel = ReadU64(data, ref offset, path, varName, "lod_level");
        if (lodLevel > MaxLodLevels) throw new ModelFormatException(path, $"lod_level should be at most {MaxLodLevels}, found {lodLevel}", offset - 8, varName);
        for (ulong i = 0; i < lodLevel; i++)
        {
            ulong size = ReadU64(data, ref offset, path, varName, "LoD level size");
            if (size > (ulong)(data.Length - offset)) throw new ModelFormatException(path, $"LoD level of {size} bytes runs past the end ({data.Length - offset} left)", offset - 8, varName);
            offset += (int)size;
        }
        int tensorVersionAt = offset;
        uint tensorVersion = ReadU32(data, ref offset, path, varName, "tensor version");
        if (tensorVersion != 0) throw new ModelFormatException(path, $"tensor version should be 0, found {tensorVersion}", tensorVersionAt, varName);
        int descSizeAt = offset;
        int descSize = (int)ReadU32(data, ref offset, path, varName, "desc_size");
        if (descSize < 0 || descSize > MaxDescBytes || descSize > data.Length - offset)
        {
            throw new ModelFormatException(path, $"TensorDesc size {descSize} is invalid ({data.Length - offset} bytes left)", descSizeAt, varName);
        }
        VarType.Types.TensorDesc desc;
        try
        {
            desc = VarType.Types.TensorDesc.Parser.ParseFrom(data.Slice(offset, descSize));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(path, $"TensorDesc is not valid protobuf: {e.Message}", offset, varName, e);
        }
        offset += descSize;
        if (!DataTypes.TryFromPaddle(desc.DataType, out var dtype))
        {
            throw new ModelFormatException(path, $"unsupported data type code {desc.DataType} (supported: bool, int8, uint8, int16, int32, int64, fp16, bf16, fp32, fp64)", descSizeAt + 4, varName);
        }
        if (desc.Dims.Count > MaxRank) throw new ModelFormatException(path, $"rank {desc.Dims.Count} exceeds {MaxRank}", descSizeAt + 4, varName);
        var shape = new int[desc.Dims.Count];
        long numel = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = desc.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new ModelFormatException(path, $"dimension {i} is {d}", descSizeAt + 4, varName);
            shape[i] = (int)d;
            numel = d == 0 ? 0 : (numel > long.MaxValue / d ? long.MaxValue : numel * d);
        }
        long remaining = data.Length - offset;
        long needed = numel > remaining ? long.MaxValue : numel * dtype.SizeOf();
        if (needed > remaining)
        {
            throw new ModelFormatException(path, $"tensor {dtype.Name()}[{string.Join(", ", shape)}] needs {(needed == long.MaxValue ? "more than " + remaining : needed.ToString())} bytes, {remaining} left", offset, varName);
        }
        var bytes = data.Slice(offset, (int)needed).ToArray();
        offset += (int)needed;
        return new Tensor(dtype, shape, bytes);
    }

    /// <summary>
    /// Reads a combined parameter file: one record per name in <paramref name="names"/>, which must
    /// already be sorted ordinally (formats.md §2.2). The whole file must be consumed.
    /// </summary>
    public static Dictionary<string, Tensor> ReadCombined(ReadOnlySpan<byte> data, string? path, IReadOnlyList<string> names)
    {
        var result = new Dictionary<string, Tensor>(names.Count, StringComparer.Ordinal);
        int offset = 0;
        foreach (var name in names)
        {
            if (offset >= data.Length)
            {
                throw new ModelFormatException(path, $"the file ends after {result.Count} of {names.Count} parameters; '{name}' is missing", offset, name);
            }
            result[name] = ReadRecord(data, ref offset, path, name);
        }
        if (offset != data.Length)
        {
            throw new ModelFormatException(path, $"{data.Length - offset} bytes remain after the {names.Count} parameters the program lists", offset);
        }
        return result;
    }

    private static uint ReadU32(ReadOnlySpan<byte> data, ref int offset, string? path, string varName, string field)
    {
        if (data.Length - offset < 4) throw new ModelFormatException(path, $"file ends inside {field} (need 4 bytes, {data.Length - offset} left)", offset, varName);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset));
        offset += 4;
        return v;
    }

    private static ulong ReadU64(ReadOnlySpan<byte> data, ref int offset, string? path, string varName, string field)
    {
        if (data.Length - offset < 8) throw new ModelFormatException(path, $"file ends inside {field} (need 8 bytes, {data.Length - offset} left)", offset, varName);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset));
        offset += 8;
        return v;
    }
}
