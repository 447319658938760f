using System.Runtime.InteropServices;
using System.Text;

namespace PaddleNet.Tests.Support;

internal static class TensorAssert
{
    /// <summary>Same dtype and shape; floats within abs + rel·|ref| (NaN matches NaN), others exactly.</summary>
    public static void Close(Tensor expected, Tensor actual, double abs, double rel, string what)
    {
        Assert.True(expected.DataType == actual.DataType, $"{what}: dtype {actual.DataType.Name()}, expected {expected.DataType.Name()}");
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(", ", actual.Shape.ToArray())}], expected [{string.Join(", ", expected.Shape.ToArray())}]");
        if (expected.DataType is DataType.Float32 or DataType.Float64)
        {
            var e = ToDoubles(expected);
            var a = ToDoubles(actual);
            int bad = 0, first = -1;
            double worst = 0;
            for (int i = 0; i < e.Length; i++)
            {
                double diff = Math.Abs(e[i] - a[i]);
                bool ok = (double.IsNaN(e[i]) && double.IsNaN(a[i])) || e[i] == a[i] || diff <= abs + rel * Math.Abs(e[i]);
                if (!ok)
                {
                    bad++;
                    if (first < 0) first = i;
                    if (!(diff <= worst)) worst = diff;
                }
            }
            Assert.True(bad == 0, $"{what}: {bad} of {e.Length} elements differ (abs {abs}, rel {rel}); worst |diff| {worst}; first at {first}: {(first >= 0 ? $"{a[first]} vs {e[first]}" : "")}");
        }
        else
        {
            Assert.True(expected.Bytes.SequenceEqual(actual.Bytes), $"{what}: {expected.DataType.Name()} values differ: {Preview(actual)} vs expected {Preview(expected)}");
        }
    }

    public static double[] ToDoubles(Tensor t) => t.DataType switch
    {
        DataType.Float32 => MemoryMarshal.Cast<byte, float>(t.Bytes).ToArray().Select(x => (double)x).ToArray(),
        DataType.Float64 => MemoryMarshal.Cast<byte, double>(t.Bytes).ToArray(),
        DataType.Int32 => MemoryMarshal.Cast<byte, int>(t.Bytes).ToArray().Select(x => (double)x).ToArray(),
        DataType.Int64 => MemoryMarshal.Cast<byte, long>(t.Bytes).ToArray().Select(x => (double)x).ToArray(),
        _ => t.Bytes.ToArray().Select(x => (double)x).ToArray(),
    };

    private static string Preview(Tensor t)
    {
        var d = ToDoubles(t);
        var sb = new StringBuilder("[");
        sb.AppendJoin(", ", d.Take(12));
        if (d.Length > 12) sb.Append(", ...");
        return sb.Append(']').ToString();
    }
}
