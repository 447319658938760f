using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PaddleNet.Model.Lite;

/// <summary>
/// Turns the weights of a Lite program into float32 where Lite's own runtime would:
/// <list type="bullet">
/// <item>weight-only quantisation (<c>opt --quant_model</c>, models/lite/README.md §6): an op input
/// <c>V</c> stored as int8/int16 with an op attribute <c>V_quant_scale</c> becomes
/// <c>w = (float)q × scale[c]</c>, c = axis 1 of the weight of <c>fc</c>/<c>mul</c>/<c>matmul</c>
/// (slot <c>W</c>/<c>Y</c>), otherwise axis 0 (conv filters: Cout; biases: every element);</item>
/// <item>PaddleSlim int8 programs (<c>enable_int8</c>): a weight input at slot <c>S</c>, index k, stored
/// int8 with attribute <c>S{k}_scale</c> is dequantised the same way (formats.md §4.6);</item>
/// <item>fp16 weights are widened to float32.</item>
/// </list>
/// The program's parameter declarations are updated to the stored dtype and shape.
/// </summary>
internal static class LiteWeights
{
    public const string QuantScaleSuffix = "_quant_scale";

    public static void Finish(Program program, Dictionary<string, Tensor> parameters, string? path)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in program.Blocks)
        {
            foreach (var op in block.Ops)
            {
                foreach (var (slot, args) in op.Inputs)
                {
                    for (int k = 0; k < args.Length; k++)
                    {
                        var name = args[k];
                        if (done.Contains(name) || !parameters.TryGetValue(name, out var t)) continue;
                        if (t.DataType is not (DataType.Int8 or DataType.Int16)) continue;
                        var scaleAttr = op.Attributes.Has(name + QuantScaleSuffix) ? name + QuantScaleSuffix
                            : op.Attributes.Has($"{slot}{k}_scale") ? $"{slot}{k}_scale"
                            : null;
                        if (scaleAttr is null) continue;
                        double[] scales;
                        try
                        {
                            scales = op.Attributes.GetDoubles(scaleAttr);
                        }
                        catch (PaddleNetException e)
                        {
                            throw new ModelFormatException(path, $"{op.Type}: {e.Message}", field: scaleAttr, inner: e);
                        }
                        bool columns = op.Type is "fc" or "mul" or "matmul" or "matmul_v2" && slot is "W" or "Y" && t.ShapeArray.Length == 2;
                        parameters[name] = Dequantize(t, scales, columns ? 1 : 0, path, name, op.Type, scaleAttr);
                        done.Add(name);
                    }
                }
            }
        }
        foreach (var (name, t) in parameters.ToArray())
        {
            if (t.DataType == DataType.Float16)
            {
                var src = MemoryMarshal.Cast<byte, Half>(t.RawData.AsSpan());
                var dst = new byte[src.Length * 4];
                var d = MemoryMarshal.Cast<byte, float>(dst.AsSpan());
                for (int i = 0; i < src.Length; i++) d[i] = (float)src[i];
                parameters[name] = new Tensor(DataType.Float32, t.ShapeArray, dst);
            }
        }
        var main = program.Main;
        foreach (var v in main.Vars.Values)
        {
            if (!v.IsParameter) continue;
            if (!parameters.TryGetValue(v.Name, out var t))
            {
                throw new ModelFormatException(path, $"the program declares persistable variable '{v.Name}' but the parameter section does not hold it ({parameters.Count} parameters)", field: v.Name);
            }
            // The stored tensor is the truth: Lite's conv_conv fuse (two 1×1 convs → one) keeps the
            // first conv's weight name and its stale var desc (e.g. [8,8,1,1] for a [24,8,1,1] tensor).
            v.Dims = Array.ConvertAll(t.ShapeArray, d => (long)d);
            v.DataType = t.DataType;
        }
    }

    /// <summary><c>w = (float)q × (float)scale[c]</c> along <paramref name="axis"/>; one scale means per-tensor.</summary>
    internal static Tensor Dequantize(Tensor t, double[] scales, int axis, string? path, string name, string opType, string scaleAttr)
    {
        var shape = t.ShapeArray;
        long count = t.ElementCount;
        int channels = shape.Length == 0 ? 1 : shape[axis < shape.Length ? axis : 0];
        if (scales.Length != 1 && (axis >= shape.Length || scales.Length != channels))
        {
            throw new ModelFormatException(path, $"{opType}: {scales.Length} scales in '{scaleAttr}' do not match axis {axis} of the weight [{string.Join(", ", shape)}]", field: name);
        }
        // inner = product of dims after the axis; channel of element i = (i / inner) % channels.
        long inner = 1;
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        var s = Array.ConvertAll(scales, x => (float)x);
        var dst = new byte[checked(count * 4)];
        var d = MemoryMarshal.Cast<byte, float>(dst.AsSpan());
        var raw = t.RawData;
        bool int16 = t.DataType == DataType.Int16;
        for (long i = 0; i < count; i++)
        {
            float q = int16 ? BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan((int)(i * 2))) : (sbyte)raw[i];
            float scale = s.Length == 1 ? s[0] : s[(int)(i / inner % s.Length)];
            d[(int)i] = q * scale;
        }
        return new Tensor(DataType.Float32, shape, dst);
    }
}
