namespace PaddleNet;

/// <summary>Element types PaddleNet reads from Paddle files.</summary>
public enum DataType
{
    /// <summary>bool, one byte.</summary>
    Bool,

    /// <summary>int8.</summary>
    Int8,

    /// <summary>uint8.</summary>
    UInt8,

    /// <summary>int16.</summary>
    Int16,

    /// <summary>int32.</summary>
    Int32,

    /// <summary>int64.</summary>
    Int64,

    /// <summary>IEEE half precision (numpy float16).</summary>
    Float16,

    /// <summary>bfloat16 (Paddle's BF16).</summary>
    BFloat16,

    /// <summary>float32.</summary>
    Float32,

    /// <summary>float64.</summary>
    Float64,
}

/// <summary>Sizes and NumPy names of <see cref="DataType"/> values.</summary>
public static class DataTypes
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this DataType t) => t switch
    {
        DataType.Bool or DataType.Int8 or DataType.UInt8 => 1,
        DataType.Int16 or DataType.Float16 or DataType.BFloat16 => 2,
        DataType.Int32 or DataType.Float32 => 4,
        DataType.Int64 or DataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>NumPy-style name, as in the reference manifests and `inspect --json`.</summary>
    public static string Name(this DataType t) => t switch
    {
        DataType.Bool => "bool",
        DataType.Int8 => "int8",
        DataType.UInt8 => "uint8",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.Float16 => "float16",
        DataType.BFloat16 => "bfloat16",
        DataType.Float32 => "float32",
        DataType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>The <see cref="DataType"/> of a NumPy-style name (<c>float32</c>, <c>int64</c>, ...).</summary>
    public static bool TryParseName(string name, out DataType t)
    {
        switch (name)
        {
            case "bool": t = DataType.Bool; return true;
            case "int8": t = DataType.Int8; return true;
            case "uint8": t = DataType.UInt8; return true;
            case "int16": t = DataType.Int16; return true;
            case "int32": t = DataType.Int32; return true;
            case "int64": t = DataType.Int64; return true;
            case "float16": t = DataType.Float16; return true;
            case "bfloat16": t = DataType.BFloat16; return true;
            case "float32": t = DataType.Float32; return true;
            case "float64": t = DataType.Float64; return true;
            default: t = default; return false;
        }
    }

    /// <summary>Paddle's VarType.Type numbers for element types (formats.md §1.2).</summary>
    internal static bool TryFromPaddle(int code, out DataType t)
    {
        switch (code)
        {
            case 0: t = DataType.Bool; return true;
            case 1: t = DataType.Int16; return true;
            case 2: t = DataType.Int32; return true;
            case 3: t = DataType.Int64; return true;
            case 4: t = DataType.Float16; return true;
            case 5: t = DataType.Float32; return true;
            case 6: t = DataType.Float64; return true;
            case 20: t = DataType.UInt8; return true;
            case 21: t = DataType.Int8; return true;
            case 22: t = DataType.BFloat16; return true;
            default: t = default; return false;
        }
    }

    internal static int ToPaddle(this DataType t) => t switch
    {
        DataType.Bool => 0,
        DataType.Int16 => 1,
        DataType.Int32 => 2,
        DataType.Int64 => 3,
        DataType.Float16 => 4,
        DataType.Float32 => 5,
        DataType.Float64 => 6,
        DataType.UInt8 => 20,
        DataType.Int8 => 21,
        DataType.BFloat16 => 22,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
