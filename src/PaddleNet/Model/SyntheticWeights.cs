using System.Runtime.InteropServices;

namespace PaddleNet;

/// <summary>
/// Stand-in parameters for a program whose weights are not at hand (or deliberately replaced): every parameter
/// the program declares, of its declared shape and type, from a seeded generator. Only for trying whether and how
/// fast an architecture runs: the outputs mean nothing.
/// </summary>
public sealed class SyntheticWeightOptions
{
    /// <summary>Generator seed; the same seed gives the same weights for the same parameter name and shape.</summary>
    public int Seed { get; init; }

    /// <summary>Largest single parameter to make, in bytes (default 1 GiB): a declared shape over it is refused before allocating.</summary>
    public long MaxParameterBytes { get; init; } = 1L << 30;
}

/// <summary>
/// Makes synthetic parameters with a scale that keeps activations finite through deep nets: weights read by a
/// conv / matmul / fc are uniform with variance 1/fan-in (fan-in from the consuming op: a conv filter's C/groups·kh·kw,
/// a transposed conv's (C/groups)·kh·kw/(sh·sw), a matmul's contraction dimension); normalisation statistics are the
/// identity (scale 1, bias 0, mean 0, variance 1); other scale-like slots 1, biases and additive terms 0, prelu alpha
/// 0.25, integer and bool parameters 0. Values depend only on (seed, parameter name, element index).
/// </summary>
internal static class SyntheticWeights
{
    public static Dictionary<string, Tensor> Generate(Model.Program program, IReadOnlyDictionary<string, Tensor> existing, string? source, SyntheticWeightOptions options)
    {
        var roles = new Dictionary<string, (Model.Operator Op, string Slot)>(StringComparer.Ordinal);
        foreach (var block in program.Blocks)
        {
            foreach (var op in block.Ops)
            {
                foreach (var (slot, args) in op.Inputs)
                {
                    foreach (var name in args) roles.TryAdd(name, (op, slot));
                }
            }
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var names = program.Main.Vars.Values.Where(v => v.IsParameter).Select(v => v.Name).Concat(existing.Keys).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
        {
            DataType type;
            int[] shape;
            if (existing.TryGetValue(name, out var had))
            {
                type = had.DataType;
                shape = had.Shape.ToArray();
            }
            else
            {
                var v = program.Main.Vars[name];
                type = v.DataType ?? throw new ModelFormatException(source, $"parameter '{name}' declares no element type; synthetic weights need one", field: name);
                shape = Shape(v.Dims, name, source);
            }
            long count = 1;
            foreach (var d in shape) count = d == 0 ? 0 : count > long.MaxValue / d ? long.MaxValue : count * d;
            long bytes = count > long.MaxValue / type.SizeOf() ? long.MaxValue : count * type.SizeOf();
            if (bytes > options.MaxParameterBytes || bytes > Array.MaxLength)
            {
                throw new ModelFormatException(source,
                    $"parameter '{name}' declares shape [{string.Join(", ", shape)}] of {type.Name()} ({Bytes(bytes)}), over the synthetic-weights limit of {Bytes(options.MaxParameterBytes)} per parameter (SyntheticWeightOptions.MaxParameterBytes)",
                    field: name);
            }
            var t = new Tensor(type, shape);
            roles.TryGetValue(name, out var role);
            Fill(t, name, role.Op, role.Slot, options.Seed);
            result[name] = t;
        }
        return result;
    }

    private static int[] Shape(long[] dims, string name, string? source)
    {
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0) throw new ModelFormatException(source, $"parameter '{name}' declares dynamic dimension {i} ([{string.Join(", ", dims)}]); synthetic weights need a fixed shape", field: name);
            if (dims[i] > int.MaxValue) throw new ModelFormatException(source, $"parameter '{name}' declares dimension {i} = {dims[i]}, over {int.MaxValue}", field: name);
            shape[i] = (int)dims[i];
        }
        return shape;
    }

    private static string Bytes(long b) => b >= 1L << 30 ? $"{b / (double)(1L << 30):0.##} GiB" : b >= 1L << 20 ? $"{b / (double)(1L << 20):0.##} MiB" : $"{b} bytes";

    /// <summary>A constant for identity-like slots, or NaN for "uniform with variance 1/fan-in".</summary>
    private static float Constant(Model.Operator? op, string? slot, int rank, out double fanIn, ReadOnlySpan<int> shape)
    {
        fanIn = 1;
        for (int i = 1; i < shape.Length; i++) fanIn *= shape[i];
        string type = op?.Type ?? "";
        slot ??= "";
        if (type is "prelu" && slot == "Alpha") return 0.25f;
        if (slot.Contains("Variance", StringComparison.Ordinal) || slot.Contains("Scale", StringComparison.Ordinal)) return 1f;
        if (slot.Contains("Mean", StringComparison.Ordinal)) return 0f;
        if (type is "elementwise_mul" or "elementwise_div" or "elementwise_pow") return 1f;
        if (type is "elementwise_add" or "elementwise_sub") return 0f;
        if (slot == "Bias" && rank <= 1) return 0f;
        switch (type)
        {
            case "conv2d_transpose" or "depthwise_conv2d_transpose" or "conv3d_transpose" when shape.Length >= 3:
                {
                    int groups = Math.Max(1, op!.Attributes.GetInt("groups", 1));
                    var strides = op.Attributes.GetInts("strides");
                    double taps = 1, stride = 1;
                    for (int i = 2; i < shape.Length; i++) taps *= shape[i];
                    foreach (var s in strides) stride *= Math.Max(1, s);
                    fanIn = Math.Max(1, shape[0] / (double)groups * taps / stride);
                    break;
                }
            case "mul" when slot == "Y":
                {
                    int k = Math.Clamp(op!.Attributes.GetInt("y_num_col_dims", 1), 1, Math.Max(1, shape.Length));
                    fanIn = 1;
                    for (int i = 0; i < k && i < shape.Length; i++) fanIn *= shape[i];
                    break;
                }
            case "matmul" or "matmul_v2" when shape.Length >= 2:
                {
                    bool trans = slot == "Y"
                        ? op!.Attributes.GetBool("trans_y", op.Attributes.GetBool("transpose_Y", false))
                        : !op!.Attributes.GetBool("trans_x", op.Attributes.GetBool("transpose_X", false));
                    fanIn = trans ? shape[^1] : shape[^2];
                    break;
                }
            case "fc" when shape.Length >= 1:
                fanIn = shape[0];
                break;
        }
        return float.NaN;
    }

    private static void Fill(Tensor t, string name, Model.Operator? op, string? slot, int seed)
    {
        var shape = t.Shape;
        float constant = Constant(op, slot, shape.Length, out double fanIn, shape);
        // Unknown 1-D roles: ±0.1 (small offsets, nothing to compound).
        double limit = shape.Length <= 1 && op?.Type is not ("fc" or "mul" or "matmul" or "matmul_v2") ? 0.1 * Math.Sqrt(3) : Math.Sqrt(3 / Math.Max(1, fanIn));
        ulong state = Hash(name) ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
        float Next()
        {
            // splitmix64 → uniform in [−limit, limit)
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (float)(((z >> 11) * (1.0 / (1UL << 53)) * 2 - 1) * limit);
        }
        switch (t.DataType)
        {
            case DataType.Float32:
                foreach (ref var v in t.AsSpan<float>()) v = float.IsNaN(constant) ? Next() : constant;
                break;
            case DataType.Float64:
                foreach (ref var v in t.AsSpan<double>()) v = float.IsNaN(constant) ? Next() : constant;
                break;
            case DataType.Float16:
                foreach (ref var v in t.AsSpan<Half>()) v = (Half)(float.IsNaN(constant) ? Next() : constant);
                break;
            case DataType.BFloat16:
                foreach (ref var v in t.AsSpan<ushort>())
                {
                    float f = float.IsNaN(constant) ? Next() : constant;
                    v = (ushort)(BitConverter.SingleToUInt32Bits(f) >> 16);
                }
                break;
            default:
                // Integer and bool parameters (indices, quantised codes): zeros, already there.
                break;
        }
    }

    /// <summary>FNV-1a of the name: stable across runs and .NET versions (string.GetHashCode is not).</summary>
    private static ulong Hash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in MemoryMarshal.AsBytes(s.AsSpan()))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }
}
