using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>
/// Paddle op tensor_array_to_tensor: concatenates (use_stack false) or stacks (use_stack true) the
/// elements of array X along <c>axis</c> (negative counts from the end); OutIndex (int32) holds each
/// element's extent along that axis (1 each when stacking).
/// </summary>
internal sealed class TensorArrayToTensorKernel(int array, int output, int outIndex, int axis, bool stack) : Kernel
{
    public static Kernel Create(KernelBuilder b) =>
        new TensorArrayToTensorKernel(b.RequiredInput("X"), b.RequiredOutput("Out"), b.Output("OutIndex"), b.Attrs.GetInt("axis", 0), b.Attrs.GetBool("use_stack", false));

    public override void Execute(RunContext ctx)
    {
        var a = ctx.Array(array);
        int n = a.Count;
        if (n == 0) throw new ShapeMismatchException("tensor_array_to_tensor X", "a non-empty array", "an empty array");
        var first = a.Shape(0);
        var type = a.Type(0);
        int rank = first.Length;
        int outRank = stack ? rank + 1 : rank;
        int ax = axis < 0 ? axis + outRank : axis;
        if (ax < 0 || ax >= outRank || (!stack && rank == 0)) throw new ShapeMismatchException("axis", $"in [{-outRank}, {outRank})", axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Span<int> shape = stackalloc int[RunContext.MaxRank + 1];
        long total = 0;
        for (int k = 0; k < n; k++)
        {
            var s = a.Shape(k);
            if (a.Type(k) != type) throw new ShapeMismatchException($"tensor_array_to_tensor X[{k}]", type.Name(), a.Type(k).Name());
            bool same = s.Length == rank;
            for (int d = 0; same && d < rank; d++) same = d == ax && !stack || s[d] == first[d];
            if (!same) throw new ShapeMismatchException($"tensor_array_to_tensor X[{k}]", $"shape [{string.Join(", ", first.ToArray())}] apart from axis {ax}", $"[{string.Join(", ", s.ToArray())}]");
            total += stack ? 1 : s[ax];
        }
        long outer = 1;
        for (int d = 0; d < ax; d++) outer *= first[d];
        for (int d = 0; d < outRank; d++) shape[d] = d == ax ? checked((int)total) : first[stack && d > ax ? d - 1 : d];
        var dst = ctx.AllocateBytes(output, type, shape[..outRank]);
        long offset = 0;
        for (int r = 0; r < outer; r++)
        {
            for (int k = 0; k < n; k++)
            {
                var src = a.Bytes(k);
                int chunk = (int)(src.Length / outer);
                src.Slice(r * chunk, chunk).CopyTo(dst.Slice((int)offset, chunk));
                offset += chunk;
            }
        }
        if (outIndex >= 0)
        {
            var idx = ctx.Allocate<int>(outIndex, [n]);
            for (int k = 0; k < n; k++) idx[k] = stack ? 1 : a.Shape(k)[ax];
        }
    }
}
